//! Replies built from a lowered description: for each generated type, JSON
//! values of the shape its schema allows, as a server could send them, with
//! what a later API version might add (properties the schema does not name,
//! at every level; enum values it does not list) and values in every
//! format (date-times with offsets and fractions, whole and fractional
//! numbers, `null` where the schema allows it, text with escapes).
//!
//! The round-trip test decodes each into its type and writes it back,
//! which must give the same JSON.

use codegen::model::{Api, EnumDef, Field, IntWidth, Presence, Struct, Ty, TypeKind, UnionVariant};
use serde_json::{Map, Value, json};
use std::collections::{BTreeMap, BTreeSet};

/// How deep a sample nests before optional parts are left out.
const SHALLOW: usize = 4;
/// How deep it may nest at all (a schema whose required properties recurse
/// forever has no finite sample).
const DEEPEST: usize = 24;

/// `per_type` samples for each type named in `names`, by type name.
pub fn samples(api: &Api, names: &BTreeSet<String>, per_type: usize) -> BTreeMap<String, Vec<Value>> {
    let mut out = BTreeMap::new();
    for (i, t) in api.types.iter().enumerate() {
        if !names.contains(&t.name) || matches!(t.kind, TypeKind::Alias(_) | TypeKind::Pending) {
            continue;
        }
        let values: Vec<Value> = (0..per_type)
            .filter_map(|k| {
                let mut g = Gen { api, rng: seed(&t.name, k), mode: k % 3 };
                g.named(i, 0)
            })
            .collect();
        out.insert(t.name.clone(), values);
    }
    out
}

fn seed(name: &str, k: usize) -> u64 {
    name.bytes().fold(0xcbf2_9ce4_8422_2325u64 ^ k as u64, |h, b| (h ^ b as u64).wrapping_mul(0x100_0000_01b3))
}

struct Gen<'a> {
    api: &'a Api,
    rng: u64,
    /// 0: every property there, unknown ones added; 1: only the required
    /// ones, `null` wherever allowed; 2: a mix.
    mode: usize,
}

impl Gen<'_> {
    fn next(&mut self) -> u64 {
        // xorshift64*: deterministic, good enough to vary samples.
        self.rng ^= self.rng >> 12;
        self.rng ^= self.rng << 25;
        self.rng ^= self.rng >> 27;
        self.rng.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    fn coin(&mut self) -> bool {
        self.below(2) == 0
    }

    fn named(&mut self, id: usize, depth: usize) -> Option<Value> {
        if depth > DEEPEST {
            return None;
        }
        match &self.api.types[id].kind {
            TypeKind::Struct(s) => self.object(s, depth),
            TypeKind::Enum(e) => Some(self.enumeration(e)),
            TypeKind::Union(u) => match &u.tag {
                None => self.union(&u.variants, depth),
                Some(tag) => self.tagged(&u.variants, &tag.property, depth),
            },
            TypeKind::Alias(t) => self.ty(t, depth),
            TypeKind::Pending => Some(json!({"any": "value"})),
        }
    }

    fn object(&mut self, s: &Struct, depth: usize) -> Option<Value> {
        let mut map = Map::new();
        for f in &s.fields {
            if let Some(v) = self.field(f, depth)? {
                map.insert(f.wire.clone(), v);
            }
        }
        if let Some(extra) = &s.extra
            && (self.mode == 0 || (self.mode == 2 && self.coin()))
        {
            let n = 1 + self.below(2);
            for k in 0..n {
                let v = self.ty(&extra.value, depth + 1)?;
                map.insert(format!("zz_added_{k}"), v);
            }
        }
        Some(Value::Object(map))
    }

    /// A property's value, `Ok(None)` when it is left out, `None` when no
    /// sample can be made.
    fn field(&mut self, f: &Field, depth: usize) -> Option<Option<Value>> {
        let presence = f.presence();
        let shallow = depth < SHALLOW;
        let present = match presence {
            Presence::Required | Presence::RequiredNullable => true,
            Presence::Optional | Presence::Nullable => match self.mode {
                0 => shallow,
                1 => false,
                _ => shallow && self.coin(),
            },
        };
        if !present {
            return Some(None);
        }
        let null_allowed = matches!(presence, Presence::RequiredNullable | Presence::Nullable);
        if null_allowed && (self.mode == 1 || (self.mode == 2 && self.coin())) {
            return Some(Some(Value::Null));
        }
        self.ty(&f.ty, depth + 1).map(Some)
    }

    fn enumeration(&mut self, e: &EnumDef) -> Value {
        let unknown = self.mode == 1 || e.values.is_empty() || self.below(4) == 0;
        match (e.integer, unknown) {
            (true, true) => json!(987_654_321),
            (false, true) => json!("zz-not-listed"),
            (true, false) => {
                let v = &e.values[self.below(e.values.len() as u64) as usize];
                json!(v.wire.parse::<i64>().unwrap_or_default())
            }
            (false, false) => Value::String(e.values[self.below(e.values.len() as u64) as usize].wire.clone()),
        }
    }

    /// One alternative with its tag, or (now and then) an object whose tag
    /// no version lists.
    fn tagged(&mut self, vs: &[UnionVariant], property: &str, depth: usize) -> Option<Value> {
        if self.below(5) == 0 {
            return Some(json!({property: "zz-not-listed", "any": [1, "x"]}));
        }
        let start = self.below(vs.len() as u64) as usize;
        (0..vs.len()).find_map(|k| {
            let v = &vs[(start + k) % vs.len()];
            let mut value = self.ty(&v.ty, depth + 1)?;
            if let (Value::Object(map), Some(tag)) = (&mut value, &v.tag) {
                map.insert(property.to_owned(), Value::String(tag.clone()));
            }
            Some(value)
        })
    }

    fn union(&mut self, vs: &[UnionVariant], depth: usize) -> Option<Value> {
        let start = self.below(vs.len() as u64) as usize;
        // The first variant that has a sample, from a random start.
        (0..vs.len()).find_map(|k| self.ty(&vs[(start + k) % vs.len()].ty, depth + 1))
    }

    fn ty(&mut self, ty: &Ty, depth: usize) -> Option<Value> {
        Some(match ty {
            Ty::String => Value::String(self.text()),
            Ty::Date => json!(["2024-01-02", "1999-12-31", "2024-02-29"][self.below(3) as usize]),
            Ty::DateTime => json!(
                [
                    "2024-01-02T03:04:05Z",
                    "2024-01-02T03:04:05.123+05:30",
                    "1999-12-31T23:59:59.999999-08:00",
                    "2024-06-30T12:00:00+00:00",
                ][self.below(4) as usize]
            ),
            Ty::Uuid => json!("0b9c1d7e-2f3a-4b5c-8d6e-7f8091a2b3c4"),
            Ty::Integer(IntWidth::I32) => json!([0, -7, 2_147_483_647][self.below(3) as usize]),
            Ty::Integer(IntWidth::I64) => json!([0i64, 42, -9_007_199_254_740_993][self.below(3) as usize]),
            Ty::Integer(IntWidth::U64) => json!([0u64, 42, 18_446_744_073_709_551_615][self.below(3) as usize]),
            Ty::Integer(IntWidth::I128) => json!([0i128, -42, 18_446_744_073_709_551_615][self.below(3) as usize]),
            Ty::Number => [json!(2), json!(2.5), json!(-0.001), json!(1e300)][self.below(4) as usize].clone(),
            Ty::Boolean => json!(self.coin()),
            Ty::Json => self.any(depth),
            Ty::JsonObject => json!({"free": self.any(depth), "form": [1, "two", null]}),
            Ty::Array(item) => {
                let n = if depth < SHALLOW { self.below(3) } else { 0 };
                let mut items = Vec::new();
                for _ in 0..n {
                    items.push(self.ty(item, depth + 1)?);
                }
                Value::Array(items)
            }
            Ty::Map(value) => {
                let n = if depth < SHALLOW { self.below(3) } else { 0 };
                let mut map = Map::new();
                for k in 0..n {
                    map.insert(format!("key-{k}"), self.ty(value, depth + 1)?);
                }
                Value::Object(map)
            }
            Ty::Nullable(inner) if self.mode == 1 || self.coin() => return self.ty(inner, depth).map(|_| Value::Null),
            Ty::Nullable(inner) => return self.ty(inner, depth),
            Ty::Named(id) => return self.named(id.0, depth),
        })
    }

    fn text(&mut self) -> String {
        ["plain", "quote \" and \\ backslash", "é ü ✓ 😀", "", "line\nbreak\ttab", "</script>"][self.below(6) as usize]
            .to_owned()
    }

    fn any(&mut self, depth: usize) -> Value {
        if depth > SHALLOW {
            return json!("leaf");
        }
        match self.below(6) {
            0 => json!(null),
            1 => json!({"nested": {"list": [1, 2.5, "x", true, null]}, "n": -3}),
            2 => json!([{"a": 1}, [], {}]),
            3 => json!(12_345_678_901_234_567i64),
            4 => json!(0.1),
            _ => json!("text"),
        }
    }
}
