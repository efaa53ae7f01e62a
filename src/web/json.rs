//! Reading JSON with the browser's own parser (`JSON.parse`), for the catalogs and the revision
//! of a stored draft. The form's wasm then has no JSON reader of its own: `serde_json`'s, with
//! its number parsing, is some 25 KB gzip, and only the code that reads drafts needs it (a split
//! point: `ui::lazy::draft_reader`).

use js_sys::{Array, Object, Reflect, JSON};
use wasm_bindgen::{JsCast, JsValue};

/// A JSON text that must be an object (not an array, not `null`).
pub fn object(text: &str) -> Result<Object, String> {
    let value = JSON::parse(text).map_err(|e| {
        e.dyn_into::<js_sys::Error>()
            .map(|e| String::from(e.message()))
            .unwrap_or_else(|_| "not JSON".to_owned())
    })?;
    if value.is_object() && !Array::is_array(&value) {
        Ok(value.unchecked_into())
    } else {
        Err("not a JSON object".to_owned())
    }
}

/// A member of an object (`None` if it has no such member). Only for names that no object
/// inherits (`Reflect.get` also sees the prototype's, such as `toString`).
pub fn member(object: &Object, name: &str) -> Option<JsValue> {
    Reflect::get(object, &JsValue::from_str(name))
        .ok()
        .filter(|v| !v.is_undefined())
}

/// A member that must be a string.
pub fn string(object: &Object, name: &str) -> Result<String, String> {
    member(object, name)
        .and_then(|v| v.as_string())
        .ok_or_else(|| format!("\"{name}\" is not a string"))
}

/// The names of an object's members.
pub fn names(object: &Object) -> Vec<String> {
    Object::keys(object)
        .iter()
        .filter_map(|k| k.as_string())
        .collect()
}

/// An object whose members are all strings, as (name, string) pairs.
pub fn strings(value: JsValue) -> Result<Vec<(String, String)>, String> {
    if !value.is_object() || Array::is_array(&value) {
        return Err("not a JSON object".to_owned());
    }
    Object::entries(value.unchecked_ref())
        .iter()
        .map(|pair| {
            let pair: Array = pair.unchecked_into();
            let name = pair.get(0).as_string().unwrap_or_default();
            match pair.get(1).as_string() {
                Some(text) => Ok((name, text)),
                None => Err(format!("\"{name}\" is not a string")),
            }
        })
        .collect()
}
