//! Argument values for the mock test (`cargo xtask mock-test`), in the
//! model: for each call of an operation, the JSON value of every argument
//! it passes. `lower/samples` synthesizes them from the description
//! (examples, defaults, enums, formats, bounds, patterns); `emit/mock`
//! writes the program that decodes each into its generated type and makes
//! the call. Filled only when the mock test is asked for.

use super::Location;
use serde_json::Value;

/// Which arguments a call sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fill {
    /// Only what the description requires (an optional body is left out).
    Required,
    /// Every parameter and every property the request may carry.
    Every,
}

impl Fill {
    /// The call's name in reports.
    pub fn label(self) -> &'static str {
        match self {
            Fill::Required => "required arguments",
            Fill::Every => "every argument",
        }
    }
}

/// The arguments of one call.
#[derive(Debug, Clone, PartialEq)]
pub struct CallSample {
    /// Which arguments it sets.
    pub fill: Fill,
    /// One value per path parameter, in [`Operation::path_params`](super::Operation::path_params) order.
    pub path: Vec<Value>,
    /// The query, header and cookie parameters it sets, by location and
    /// wire name, in the order of the parameters struct.
    pub params: Vec<(Location, String, Value)>,
    /// The body, when the call sends one: the JSON value for a JSON or
    /// form body, an object of parts by wire name for a multipart one (a
    /// file's content as a string), a string for bytes.
    pub body: Option<Value>,
}

/// The items a mock server streams for one sequential media type of a
/// success reply (a mock server cannot frame events itself, so the mock
/// test hands it the text).
#[derive(Debug, Clone, PartialEq)]
pub struct StreamSample {
    /// JSON pointer of the media type object in the document.
    pub pointer: String,
    /// The media type (`text/event-stream`).
    pub media: String,
    /// Two items, synthesized from the item schema like a reply.
    pub items: Vec<Value>,
}
