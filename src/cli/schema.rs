//! `banmian schema`: the JSON Schema of the issue format, for editors' completion and checks.

use banmian::Result;

pub fn run() -> Result<()> {
    let schema = banmian::issue::schema();
    println!("{}", serde_json::to_string_pretty(&schema).expect("a schema serialises"));
    Ok(())
}
