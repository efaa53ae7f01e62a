//! Dates, times and numbers in the reader's language, through the browser's `Intl`. Answers are
//! stored canonically (ISO 8601 dates, ASCII digits); only what is shown is localised.

use js_sys::{Date, Object, Reflect};
use wasm_bindgen::JsValue;

fn options(pairs: &[(&str, &str)]) -> Object {
    let o = Object::new();
    for (k, v) in pairs {
        let _ = Reflect::set(&o, &JsValue::from_str(k), &JsValue::from_str(v));
    }
    o
}

/// A calendar date `YYYY-MM-DD` as the language writes it (`12 March 2024`, `2024年3月12日`);
/// anything else is returned as it is.
pub fn date(lang: &str, iso: &str) -> String {
    if !crate::core::validate::is_date(iso) {
        return iso.to_owned();
    }
    // Midnight UTC, shown in UTC: the day never shifts with the reader's time zone.
    let d = Date::new(&JsValue::from_str(&format!("{iso}T00:00:00Z")));
    d.to_locale_date_string(
        lang,
        &options(&[("dateStyle", "long"), ("timeZone", "UTC")]),
    )
    .into()
}

/// A moment `YYYY-MM-DDTHH:MM:SSZ` as date and time in the language, in UTC (the labels beside
/// these times say so: a draft's last save, a submission's signing).
pub fn date_time(lang: &str, iso: &str) -> String {
    let d = Date::new(&JsValue::from_str(iso));
    if d.get_time().is_nan() {
        return iso.to_owned();
    }
    d.to_locale_string(
        lang,
        &options(&[
            ("dateStyle", "medium"),
            ("timeStyle", "short"),
            ("timeZone", "UTC"),
        ]),
    )
    .into()
}

/// A time of day (milliseconds since 1970) as hours and minutes in the language.
pub fn time(lang: &str, millis: f64) -> String {
    Date::new(&JsValue::from_f64(millis))
        .to_locale_time_string_with_options(lang, &options(&[("timeStyle", "short")]))
        .into()
}

/// A whole number in the language's digits, grouped only from five digits on (`12,345`,
/// `12 345`), so a year stays `2024`.
pub fn number(lang: &str, n: i64) -> String {
    format_number(lang, &[("useGrouping", "min2")], n as f64).unwrap_or_else(|| n.to_string())
}

/// A size in bytes in the language's words for its unit, in the largest decimal unit it fills
/// (`2.5 kB`, `10.7 GB`; `10,7 Go` in French).
pub fn bytes(lang: &str, n: f64) -> String {
    let (value, unit) = [(1e9, "gigabyte"), (1e6, "megabyte")]
        .into_iter()
        .find(|(size, _)| n >= *size)
        .map_or((n / 1e3, "kilobyte"), |(size, unit)| (n / size, unit));
    let style = [
        ("style", "unit"),
        ("unit", unit),
        ("maximumFractionDigits", "1"),
    ];
    format_number(lang, &style, value).unwrap_or_else(|| format!("{value:.1} {unit}"))
}

/// `value` written by the browser's `Intl.NumberFormat` for the language, with these options.
fn format_number(lang: &str, opts: &[(&str, &str)], value: f64) -> Option<String> {
    let locales = js_sys::Array::of1(&JsValue::from_str(lang));
    js_sys::Intl::NumberFormat::new(&locales, &options(opts))
        .format()
        .call1(&JsValue::NULL, &JsValue::from_f64(value))
        .ok()
        .and_then(|s| s.as_string())
}

/// Today in the language, for printed headers.
pub fn today(lang: &str) -> String {
    Date::new_0()
        .to_locale_date_string(lang, &options(&[("dateStyle", "long")]))
        .into()
}
