/// A JSON document to write: the one JSON writer in hwsim, so that every file and report it
/// writes (configs from `hwsim convert`, later the command-line reports) is byte-for-byte the
/// same on every run.
///
/// ``JSONValue`` is what a parser read and forgets key order; here objects keep their members in
/// the order given, and ``oneLine(_:)`` keeps a value on one line inside a pretty rendering, so
/// that, say, each layer of a config reads as one line.
public indirect enum JSONOutput: Sendable {
    /// `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// A whole number, written exactly.
    case integer(Int64)
    /// A real number in Swift's shortest round-trip form (`0.5`, `1e-05`); a non-finite value,
    /// which JSON cannot hold, is written as `null`.
    case number(Double)
    /// A number the caller has already formatted (e.g. to fixed decimals), written as given; it
    /// must be a valid JSON number.
    case numberText(String)
    /// A string, escaped by ``JSONValue/quoted(_:)``.
    case string(String)
    /// An array, in order.
    case array([JSONOutput])
    /// An object whose members are written in the order given (keys are not deduplicated).
    case object([(key: String, value: JSONOutput)])
    /// The value on a single line even when the document around it is rendered pretty.
    case oneLine(JSONOutput)

    /// The value as JSON text, without a final line ending.
    ///
    /// Compact text is one line, with `", "` between items and `": "` after keys. Pretty text puts
    /// each array element and object member on its own line, indented by `indent` spaces per
    /// level, except inside ``oneLine(_:)``. Empty arrays and objects are `[]` and `{}` either way.
    public func rendered(pretty: Bool = false, indent: Int = 2) -> String {
        var out = ""
        write(into: &out, pretty: pretty, indent: indent, depth: 0)
        return out
    }

    private func write(into out: inout String, pretty: Bool, indent: Int, depth: Int) {
        switch self {
        case .null: out += "null"
        case .bool(let value): out += value ? "true" : "false"
        case .integer(let value): out += String(value)
        case .number(let value): out += value.isFinite ? "\(value)" : "null"
        case .numberText(let text): out += text
        case .string(let text): out += JSONValue.quoted(text)
        case .oneLine(let value): value.write(into: &out, pretty: false, indent: indent, depth: depth)
        case .array(let items):
            Self.container(into: &out, open: "[", close: "]", count: items.count, pretty: pretty, indent: indent, depth: depth) { index, out in
                items[index].write(into: &out, pretty: pretty, indent: indent, depth: depth + 1)
            }
        case .object(let members):
            Self.container(into: &out, open: "{", close: "}", count: members.count, pretty: pretty, indent: indent, depth: depth) { index, out in
                out += JSONValue.quoted(members[index].key) + ": "
                members[index].value.write(into: &out, pretty: pretty, indent: indent, depth: depth + 1)
            }
        }
    }

    /// Brackets, separators and indentation around `count` items that `item` writes.
    private static func container(into out: inout String, open: String, close: String, count: Int, pretty: Bool,
                                  indent: Int, depth: Int, item: (Int, inout String) -> Void) {
        guard count > 0 else {
            out += open + close
            return
        }
        let inner = pretty ? "\n" + String(repeating: " ", count: indent * (depth + 1)) : ""
        out += open
        for index in 0..<count {
            out += index == 0 ? inner : "," + (pretty ? inner : " ")
            item(index, &out)
        }
        out += (pretty ? "\n" + String(repeating: " ", count: indent * depth) : "") + close
    }
}

extension JSONOutput {
    /// A parsed value ready to write; object members in key order, since ``JSONValue`` keeps none.
    public init(_ value: JSONValue) {
        switch value {
        case .null: self = .null
        case .bool(let flag): self = .bool(flag)
        case .integer(let whole): self = .integer(whole)
        case .number(let real): self = .number(real)
        case .string(let text): self = .string(text)
        case .array(let items): self = .array(items.map(JSONOutput.init))
        case .object(let fields): self = .object(fields.sorted { $0.key < $1.key }.map { (key: $0.key, value: JSONOutput($0.value)) })
        }
    }

    /// An array of whole numbers, the most common list in configs.
    public static func integers(_ values: [Int]) -> JSONOutput { .array(values.map { .integer(Int64($0)) }) }
}
