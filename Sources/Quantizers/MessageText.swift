/// How a user's text appears inside an error message: every error hwsim prints is one line, so a
/// value taken from input is quoted with its control characters escaped and cut to a length a
/// terminal shows. It lives in the lowest module so that config, tensor and model readers all
/// quote the same way.
public enum MessageText {
    /// The most characters of a user's value an error message repeats; a 200,000-element array
    /// or a binary blob is shown by its start and its size.
    public static let maximumQuotedLength = 80

    /// `text` with control characters, quotes and backslashes escaped (`\n`, `\u{1b}`) and, when
    /// longer than `limit` characters, cut with `… (N characters)` saying how long it was.
    public static func escaped(_ text: some StringProtocol, limit: Int = maximumQuotedLength) -> String {
        let (body, total) = cut(text, limit: limit)
        return total > limit ? body + "… (\(total) characters)" : body
    }

    /// `text` escaped and cut as ``escaped(_:limit:)``, in single quotes: `'conv1'`, or
    /// `'[1, 2, 3…' (200000 characters)` when cut.
    public static func quoted(_ text: some StringProtocol, limit: Int = maximumQuotedLength) -> String {
        let (body, total) = cut(text, limit: limit)
        return total > limit ? "'\(body)…' (\(total) characters)" : "'\(body)'"
    }

    /// The longest whole message hwsim prints: a last guard, for a message that repeats a
    /// value without quoting it, that no error fills a screen.
    public static let maximumMessageLength = 1_000

    /// A whole message made safe for one terminal line: control characters escaped, quotes
    /// kept as written, cut past `limit` characters with the full length said.
    public static func oneLine(_ text: some StringProtocol, limit: Int = maximumMessageLength) -> String {
        let (body, total) = cut(text, limit: limit, keepQuotes: true)
        return total > limit ? body + "… (\(total) characters)" : body
    }

    private static func cut(_ text: some StringProtocol, limit: Int, keepQuotes: Bool = false) -> (String, Int) {
        var out = ""
        var kept = 0
        var total = 0
        for scalar in text.unicodeScalars {
            total += 1
            guard kept < limit else { continue }
            kept += 1
            switch scalar {
            case "\"" where !keepQuotes: out += "\\\""
            case "\\" where !keepQuotes: out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case let control where control.value < 0x20 || (0x7F...0x9F).contains(control.value)
                || control.value == 0x2028 || control.value == 0x2029:
                out += "\\u{\(String(control.value, radix: 16))}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return (out, total)
    }
}
