//! Parameter styles, table-tested: every style of the OpenAPI serialization
//! table with its example values (empty string, `blue`, `[blue, black,
//! brown]`, `{R: 100, G: 200, B: 150}`), explode on and off, then nesting,
//! unions, scalars, `content` (JSON) parameters, cookies and what each
//! style refuses.

use crate::runtime::{Operation, Refused, Request, Style};
use serde::Serialize;

static COLOR: Operation = Operation { id: "color", path: "/c/{color}", ..Operation::DEFAULT };

/// The spec's example object, properties in its order.
#[derive(Serialize)]
#[allow(non_snake_case)]
struct Rgb {
    R: i64,
    G: i64,
    B: i64,
}

const RGB: Rgb = Rgb { R: 100, G: 200, B: 150 };

/// A row of the table: style, explode, then what the empty string, `blue`,
/// the list and the object become (`None`: refused).
type Row<E> = (Style, bool, E, &'static str, &'static str, &'static str);
const LIST: [&str; 3] = ["blue", "black", "brown"];

fn query<T: Serialize + ?Sized>(value: &T, style: Style, explode: bool) -> Result<String, Refused> {
    let mut request = Request::new(&crate::LIST);
    request.query("color", value, style, explode)?;
    Ok(request.query_string())
}

fn path<T: Serialize + ?Sized>(value: &T, style: Style, explode: bool) -> Result<String, Refused> {
    let mut request = Request::new(&COLOR);
    request.path("color", value, style, explode)?;
    Ok(request.render_path()?.trim_start_matches("/c/").to_owned())
}

fn header<T: Serialize + ?Sized>(value: &T, style: Style, explode: bool) -> Result<Option<String>, Refused> {
    let mut request = Request::new(&crate::LIST);
    request.header("x-color", value, style, explode)?;
    Ok(request.header_value("x-color").map(str::to_owned))
}

#[test]
fn query_styles_write_the_spec_examples() {
    use Style::*;
    // (style, explode, empty, string, array, object)
    let table: &[Row<&str>] = &[
        (Form, false, "color=", "color=blue", "color=blue,black,brown", "color=R,100,G,200,B,150"),
        (Form, true, "color=", "color=blue", "color=blue&color=black&color=brown", "R=100&G=200&B=150"),
        (SpaceDelimited, false, "color=", "color=blue", "color=blue%20black%20brown", "color=R%20100%20G%20200%20B%20150"),
        (PipeDelimited, false, "color=", "color=blue", "color=blue|black|brown", "color=R|100|G|200|B|150"),
        (DeepObject, true, "color=", "color=blue", "color[]=blue&color[]=black&color[]=brown", "color[R]=100&color[G]=200&color[B]=150"),
        // Exploded delimited styles repeat the name, as `form` does.
        (SpaceDelimited, true, "color=", "color=blue", "color=blue&color=black&color=brown", "R=100&G=200&B=150"),
    ];
    for &(style, explode, empty, string, array, object) in table {
        let at = format!("{style:?} explode={explode}");
        assert_eq!(query("", style, explode).unwrap(), empty, "{at}: empty");
        assert_eq!(query("blue", style, explode).unwrap(), string, "{at}: string");
        assert_eq!(query(&LIST, style, explode).unwrap(), array, "{at}: array");
        assert_eq!(query(&RGB, style, explode).unwrap(), object, "{at}: object");
        assert_eq!(query(&None::<String>, style, explode).unwrap(), "", "{at}: absent");
        assert_eq!(query(&Vec::<String>::new(), style, explode).unwrap(), "", "{at}: empty list");
    }
}

#[test]
fn path_styles_write_the_spec_examples() {
    use Style::*;
    let table: &[Row<Option<&str>>] = &[
        (Simple, false, None, "blue", "blue,black,brown", "R,100,G,200,B,150"),
        (Simple, true, None, "blue", "blue,black,brown", "R=100,G=200,B=150"),
        (Label, false, None, ".blue", ".blue,black,brown", ".R,100,G,200,B,150"),
        (Label, true, None, ".blue", ".blue.black.brown", ".R=100.G=200.B=150"),
        (Matrix, false, Some(";color"), ";color=blue", ";color=blue,black,brown", ";color=R,100,G,200,B,150"),
        (Matrix, true, Some(";color"), ";color=blue", ";color=blue;color=black;color=brown", ";R=100;G=200;B=150"),
    ];
    for &(style, explode, empty, string, array, object) in table {
        let at = format!("{style:?} explode={explode}");
        match empty {
            Some(e) => assert_eq!(path("", style, explode).unwrap(), e, "{at}: empty"),
            // An empty segment, or the `.` of an empty label (which URL
            // normalisation removes), would change the path.
            None => assert!(path("", style, explode).is_err(), "{at}: empty"),
        }
        assert_eq!(path("blue", style, explode).unwrap(), string, "{at}: string");
        assert_eq!(path(&LIST, style, explode).unwrap(), array, "{at}: array");
        assert_eq!(path(&RGB, style, explode).unwrap(), object, "{at}: object");
    }
    // Data is escaped, delimiters are not; no value can leave its segment.
    assert_eq!(path(&["a/b", "c,d"], Style::Label, false).unwrap(), ".a%2Fb,c%2Cd");
    assert_eq!(path("a b", Style::Matrix, false).unwrap(), ";color=a%20b");
    for bad in ["..", "."] {
        assert!(path(bad, Style::Simple, false).is_err(), "{bad}");
    }
    assert!(path(".", Style::Label, false).is_err(), "`..` is refused whatever made it");
    assert!(path(&None::<String>, Style::Simple, false).is_err());
}

#[test]
fn headers_are_simple_and_unescaped() {
    assert_eq!(header("blue", Style::Simple, false).unwrap().as_deref(), Some("blue"));
    assert_eq!(header(&LIST, Style::Simple, false).unwrap().as_deref(), Some("blue,black,brown"));
    assert_eq!(header(&RGB, Style::Simple, false).unwrap().as_deref(), Some("R,100,G,200,B,150"));
    assert_eq!(header(&RGB, Style::Simple, true).unwrap().as_deref(), Some("R=100,G=200,B=150"));
    assert_eq!(header("a b/c", Style::Simple, false).unwrap().as_deref(), Some("a b/c"));
    assert_eq!(header(&None::<i64>, Style::Simple, false).unwrap(), None);
    // JSON content: non-ASCII escaped so the value is a valid header.
    let v = serde_json::json!({"n": [1, 2.5], "name": "é😀"});
    assert_eq!(header(&v, Style::Json, false).unwrap().as_deref(), Some(r#"{"n":[1,2.5],"name":"\u00e9\ud83d\ude00"}"#));
}

#[test]
fn cookies_share_one_header() {
    let mut request = Request::new(&crate::LIST);
    request.cookie("session", "a b;c", Style::Form, true).unwrap();
    request.cookie("ids", &[1, 2], Style::Form, false).unwrap();
    request.cookie("tags", &["x", "y"], Style::Form, true).unwrap();
    request.cookie("absent", &None::<String>, Style::Form, true).unwrap();
    request.cookie("prefs", &RGB, Style::Json, false).unwrap();
    assert_eq!(
        request.header_value("cookie"),
        Some("session=a%20b%3Bc; ids=1,2; tags=x; tags=y; prefs=%7B%22R%22%3A100%2C%22G%22%3A200%2C%22B%22%3A150%7D")
    );
}

#[derive(Serialize)]
struct Range {
    gt: Option<i64>,
    lte: Option<i64>,
}

/// `anyOf [integer, {gt, lte}]`, as a generated untagged union.
#[derive(Serialize)]
#[serde(untagged)]
enum Created {
    Integer(i64),
    Range(Range),
}

/// `oneOf [string, array of string]`.
#[derive(Serialize)]
#[serde(untagged)]
enum StringOrList {
    String(String),
    List(Vec<String>),
}

#[test]
fn nested_values_and_unions_follow_the_bracket_convention() {
    let nested = serde_json::json!({"b": {"c": "d"}, "e": ["x", "y"], "f": [{"g": 1}, {"g": 2}]});
    assert_eq!(
        query(&nested, Style::DeepObject, true).unwrap(),
        "color[b][c]=d&color[e][]=x&color[e][]=y&color[f][0][g]=1&color[f][1][g]=2"
    );
    // An exploded form object sends its properties as pairs; what nests
    // under one goes in brackets.
    let filter = serde_json::json!({"range": {"gt": 1}, "status": "open"});
    assert_eq!(query(&filter, Style::Form, true).unwrap(), "range[gt]=1&status=open");
    let created = Created::Range(Range { gt: Some(1), lte: None });
    assert_eq!(query(&created, Style::DeepObject, true).unwrap(), "color[gt]=1");
    assert_eq!(query(&Created::Integer(5), Style::DeepObject, true).unwrap(), "color=5");
    let one = StringOrList::String("a".into());
    let many = StringOrList::List(vec!["a".into(), "b c".into()]);
    assert_eq!(query(&one, Style::Form, true).unwrap(), "color=a");
    assert_eq!(query(&many, Style::Form, true).unwrap(), "color=a&color=b%20c");
    assert_eq!(path(&many, Style::Simple, false).unwrap(), "a,b%20c");
    // Maps are objects, in their order.
    let map: std::collections::BTreeMap<&str, i32> = [("a", 1), ("b", 2)].into();
    assert_eq!(query(&map, Style::DeepObject, true).unwrap(), "color[a]=1&color[b]=2");
}

#[test]
fn scalars_have_one_text_form() {
    let date = chrono::NaiveDate::from_ymd_opt(2024, 1, 2).unwrap();
    let at = chrono::DateTime::parse_from_rfc3339("2024-01-02T03:04:05.120+02:00").unwrap();
    let utc = chrono::DateTime::parse_from_rfc3339("2024-01-02T03:04:05Z").unwrap();
    let id = uuid::Uuid::from_u128(0x1234);
    let cases: &[(&dyn erased::Value, &str)] = &[
        (&2.0f64, "color=2"),
        (&2.5f64, "color=2.5"),
        (&-7i32, "color=-7"),
        (&u64::MAX, "color=18446744073709551615"),
        (&true, "color=true"),
        (&date, "color=2024-01-02"),
        (&at, "color=2024-01-02T03%3A04%3A05.120%2B02%3A00"),
        (&utc, "color=2024-01-02T03%3A04%3A05Z"),
        (&id, "color=00000000-0000-0000-0000-000000001234"),
        (&"a+b&c=d é", "color=a%2Bb%26c%3Dd%20%C3%A9"),
        (&Some(vec![true, false]), "color=true&color=false"),
    ];
    for (value, want) in cases {
        assert_eq!(value.query().unwrap(), *want);
    }
    assert!(query(&f64::NAN, Style::Form, true).is_err(), "not a finite number");
}

/// Table rows of different types.
mod erased {
    pub trait Value {
        fn query(&self) -> Result<String, crate::runtime::Refused>;
    }

    impl<T: serde::Serialize> Value for T {
        fn query(&self) -> Result<String, crate::runtime::Refused> {
            super::query(self, crate::runtime::Style::Form, true)
        }
    }
}

#[test]
fn json_content_parameters_send_their_json_text() {
    let v = serde_json::json!({"a": [1, "x y"]});
    assert_eq!(query(&v, Style::Json, false).unwrap(), "color=%7B%22a%22%3A%5B1%2C%22x%20y%22%5D%7D");
    assert_eq!(query(&None::<serde_json::Value>, Style::Json, false).unwrap(), "");
    assert_eq!(path(&RGB, Style::Json, false).unwrap(), "%7B%22R%22%3A100%2C%22G%22%3A200%2C%22B%22%3A150%7D");
}

#[test]
fn what_a_style_cannot_write_is_refused() {
    let nested = serde_json::json!({"a": {"b": 1}});
    let list_of_lists = serde_json::json!([[1], [2]]);
    for (style, explode, value) in [
        (Style::Form, false, &nested),
        (Style::PipeDelimited, false, &list_of_lists),
        (Style::Form, false, &list_of_lists),
    ] {
        let err = query(value, style, explode).unwrap_err();
        assert!(matches!(&err, Refused::Parameter { name: "color", message } if message.contains("nested")), "{err:?}");
    }
    assert!(path(&nested, Style::Matrix, true).is_err());
    assert!(header(&list_of_lists, Style::Simple, false).is_err());
    let bad_key: std::collections::BTreeMap<(i32, i32), i32> = [((1, 2), 3)].into();
    assert!(query(&bad_key, Style::DeepObject, true).is_err(), "a map key must be a scalar");
}
