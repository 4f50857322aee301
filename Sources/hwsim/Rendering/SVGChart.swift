import Foundation

/// Minimal SVG charts written by hwsim itself: a scatter plot with a highlighted front, and
/// stacked bars. Output is deterministic (fixed-precision coordinates, stable order); colours and
/// markers come from the caller (``ChartStyle``), so a category looks the same in every plot.
enum SVGChart {
    struct Axis {
        var title: String
        var logarithmic: Bool
    }

    /// One point of a scatter plot.
    struct Point {
        var x: Double
        var y: Double
        /// Tooltip text.
        var label: String
        /// The `data-series` attribute: what the colour stands for.
        var series: String
        var colour: String
        var marker: ChartStyle.Marker
        /// Drawn as an outline in its colour (designs that do not fit).
        var hollow: Bool
        /// Circled as a Pareto-optimal point.
        var onFront: Bool
    }

    /// A legend line: a marker, a colour swatch, the front's dashed line, or a heading.
    enum LegendItem {
        case marker(String, colour: String, ChartStyle.Marker, hollow: Bool)
        case swatch(String, colour: String)
        case line(String)
        case heading(String)
    }

    /// One segment kind of a stacked bar chart.
    struct Stack {
        var name: String
        var colour: String
        var values: [Double]
    }

    static let width = 880.0
    static let minimumHeight = 560.0
    static let margin = (left: 90.0, right: 210.0, top: 50.0, bottom: 70.0)
    static let legendSpacing = 18.0
    /// Points closer than this many pixels are spread around their common position.
    static let overlapPixels = 2.0

    /// A scatter plot; `front` (sorted by x) is drawn as a dashed step line.
    static func scatter(title: String, x: Axis, y: Axis, points: [Point], front: [(x: Double, y: Double)], legend: [LegendItem]) -> String {
        let height = chartHeight(legendItems: legend.count)
        let xScale = Scale(values: points.map(\.x), logarithmic: x.logarithmic, range: (margin.left, width - margin.right))
        let yScale = Scale(values: points.map(\.y), logarithmic: y.logarithmic, range: (height - margin.bottom, margin.top))
        var body = frame(title: title, x: x, y: y, xScale: xScale, yScale: yScale, height: height)
        if front.count > 1 {
            var path = ""
            for (index, point) in front.enumerated() {
                let px = xScale.map(point.x), py = yScale.map(point.y)
                path += index == 0 ? "M\(f(px)),\(f(py))" : " H\(f(px)) V\(f(py))"
            }
            body.append("<path class=\"pareto-front\" d=\"\(path)\" fill=\"none\" stroke=\"#444\" stroke-width=\"1.5\" stroke-dasharray=\"5,3\"/>")
        }
        let positions = separated(points.map { (xScale.map($0.x), yScale.map($0.y)) })
        for (point, position) in zip(points, positions) {
            let attributes = "class=\"point\" data-series=\"\(escape(point.series))\" data-x=\"\(g(point.x))\" data-y=\"\(g(point.y))\" data-fits=\"\(point.hollow ? "no" : "yes")\""
            body.append(shape(point.marker, x: position.x, y: position.y, colour: point.colour, hollow: point.hollow,
                              attributes: attributes, title: point.label))
        }
        for (point, position) in zip(points, positions) where point.onFront {
            body.append("<circle class=\"pareto-point\" cx=\"\(f(position.x))\" cy=\"\(f(position.y))\" r=\"8\" fill=\"none\" stroke=\"#000\" stroke-width=\"1.2\"/>")
        }
        body += legendElements(legend)
        return document(body, height: height)
    }

    /// Stacked bars: one bar per category, one segment per stack; stacks that are zero
    /// everywhere stay out of the legend but keep their colour elsewhere.
    static func stackedBars(title: String, yTitle: String, categories: [String], stacks: [Stack]) -> String {
        let shown = stacks.filter { stack in stack.values.contains { $0 > 0 } }
        let height = chartHeight(legendItems: shown.count)
        let totals = categories.indices.map { index in shown.reduce(0) { $0 + $1.values[index] } }
        // Rotated layer names need room under the plot.
        let longest = Double(categories.map(\.count).max() ?? 0)
        let bottom = min(max(margin.bottom, 30 + longest * 5.2 * 0.87), 220)
        let yScale = Scale(values: [0] + totals, logarithmic: false, range: (height - bottom, margin.top), includeZero: true)
        let slot = (width - margin.left - margin.right) / Double(max(categories.count, 1))
        var body = frame(title: title, x: Axis(title: "layer", logarithmic: false), y: Axis(title: yTitle, logarithmic: false),
                         xScale: nil, yScale: yScale, height: height, bottom: bottom)
        for (index, category) in categories.enumerated() {
            var base = 0.0
            let x = margin.left + slot * Double(index) + slot * 0.1
            for stack in shown {
                let value = stack.values[index]
                guard value > 0 else { continue }
                let top = yScale.map(base + value), low = yScale.map(base)
                body.append("<rect class=\"bar\" data-category=\"\(escape(category))\" data-stack=\"\(escape(stack.name))\" data-value=\"\(g(value))\" x=\"\(f(x))\" y=\"\(f(top))\" width=\"\(f(slot * 0.8))\" height=\"\(f(low - top))\" fill=\"\(stack.colour)\"><title>\(escape(category)): \(escape(stack.name)) \(g(value))</title></rect>")
                base += value
            }
            if categories.count <= 80 {
                let labelX = x + slot * 0.4, labelY = height - bottom + 8
                body.append("<text class=\"category\" x=\"\(f(labelX))\" y=\"\(f(labelY))\" font-size=\"9\" text-anchor=\"end\" transform=\"rotate(-60 \(f(labelX)) \(f(labelY)))\">\(escape(category))</text>")
            }
        }
        body += legendElements(shown.map { .swatch($0.name, colour: $0.colour) })
        return document(body, height: height)
    }

    /// The SVG element alone, for embedding in HTML (no XML declaration).
    static func element(_ svg: String) -> String {
        svg.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.hasPrefix("<?xml") }.joined(separator: "\n")
    }

    // MARK: - Pieces

    private static func chartHeight(legendItems: Int) -> Double {
        max(minimumHeight, margin.top + 8 + Double(legendItems) * legendSpacing + margin.bottom)
    }

    /// Pixel positions with coinciding points spread on a small circle around their common
    /// position, in input order, so that no point hides another.
    static func separated(_ positions: [(x: Double, y: Double)]) -> [(x: Double, y: Double)] {
        var clusters: [(centre: (x: Double, y: Double), members: [Int])] = []
        for (index, position) in positions.enumerated() {
            if let found = clusters.firstIndex(where: { abs($0.centre.x - position.x) < overlapPixels && abs($0.centre.y - position.y) < overlapPixels }) {
                clusters[found].members.append(index)
            } else {
                clusters.append((position, [index]))
            }
        }
        var result = positions
        for cluster in clusters where cluster.members.count > 1 {
            let count = Double(cluster.members.count)
            let radius = min(4 + 1.2 * count, 14)
            for (rank, member) in cluster.members.enumerated() {
                let angle = -Double.pi / 2 + 2 * Double.pi * Double(rank) / count
                result[member] = (cluster.centre.x + radius * Foundation.cos(angle), cluster.centre.y + radius * Foundation.sin(angle))
            }
        }
        return result
    }

    /// A marker: filled in its colour, or an outline in it when `hollow`.
    static func shape(_ marker: ChartStyle.Marker, x: Double, y: Double, colour: String, hollow: Bool, attributes: String, title: String? = nil) -> String {
        let paint = hollow ? "fill=\"#fff\" fill-opacity=\"0\" stroke=\"\(colour)\" stroke-width=\"1.6\"" : "fill=\"\(colour)\" fill-opacity=\"0.9\" stroke=\"#fff\" stroke-width=\"0.6\""
        let tooltip = title.map { "<title>\(escape($0))</title>" } ?? ""
        if marker == .circle {
            return "<circle \(attributes) cx=\"\(f(x))\" cy=\"\(f(y))\" r=\"4.5\" \(paint)>\(tooltip)</circle>"
        }
        let outline = polygon(marker).map { "\(f(x + $0.0)),\(f(y + $0.1))" }.joined(separator: " ")
        return "<polygon \(attributes) points=\"\(outline)\" \(paint)>\(tooltip)</polygon>"
    }

    /// Vertices of a marker around (0, 0), about 9 pixels across.
    private static func polygon(_ marker: ChartStyle.Marker) -> [(Double, Double)] {
        func rotated(_ points: [(Double, Double)], by angle: Double) -> [(Double, Double)] {
            points.map { ($0.0 * Foundation.cos(angle) - $0.1 * Foundation.sin(angle), $0.0 * Foundation.sin(angle) + $0.1 * Foundation.cos(angle)) }
        }
        let plus: [(Double, Double)] = [(-1.6, -4.8), (1.6, -4.8), (1.6, -1.6), (4.8, -1.6), (4.8, 1.6), (1.6, 1.6),
                                        (1.6, 4.8), (-1.6, 4.8), (-1.6, 1.6), (-4.8, 1.6), (-4.8, -1.6), (-1.6, -1.6)]
        switch marker {
        case .circle, .square: return [(-4, -4), (4, -4), (4, 4), (-4, 4)]
        case .diamond: return [(0, -5.5), (5, 0), (0, 5.5), (-5, 0)]
        case .triangleUp: return [(0, -5.5), (5, 4), (-5, 4)]
        case .triangleDown: return [(0, 5.5), (5, -4), (-5, -4)]
        case .plus: return plus
        case .cross: return rotated(plus, by: Double.pi / 4)
        case .star:
            return (0..<10).map { index in
                let radius = index % 2 == 0 ? 5.8 : 2.4
                let angle = -Double.pi / 2 + Double(index) * Double.pi / 5
                return (radius * Foundation.cos(angle), radius * Foundation.sin(angle))
            }
        }
    }

    private static func document(_ body: [String], height: Double) -> String {
        ([
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(f(width))\" height=\"\(f(height))\" viewBox=\"0 0 \(f(width)) \(f(height))\" font-family=\"Helvetica, Arial, sans-serif\">",
            "<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>",
        ] + body + ["</svg>"]).joined(separator: "\n") + "\n"
    }

    private static func frame(title: String, x: Axis, y: Axis, xScale: Scale?, yScale: Scale, height: Double, bottom bottomMargin: Double = margin.bottom) -> [String] {
        let left = margin.left, right = width - margin.right, top = margin.top, bottom = height - bottomMargin
        var out = [
            "<text class=\"title\" x=\"\(f((left + right) / 2))\" y=\"28\" font-size=\"16\" text-anchor=\"middle\">\(escape(title))</text>",
            "<rect class=\"plot-area\" x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(right - left))\" height=\"\(f(bottom - top))\" fill=\"none\" stroke=\"#888\"/>",
            "<text class=\"axis-title x\" x=\"\(f((left + right) / 2))\" y=\"\(f(height - 18))\" font-size=\"13\" text-anchor=\"middle\">\(escape(x.title))</text>",
            "<text class=\"axis-title y\" x=\"22\" y=\"\(f((top + bottom) / 2))\" font-size=\"13\" text-anchor=\"middle\" transform=\"rotate(-90 22 \(f((top + bottom) / 2)))\">\(escape(y.title))</text>",
        ]
        for tick in yScale.ticks() {
            let py = yScale.map(tick)
            out.append("<line x1=\"\(f(left))\" x2=\"\(f(right))\" y1=\"\(f(py))\" y2=\"\(f(py))\" stroke=\"#eee\"/>")
            out.append("<text class=\"tick y\" x=\"\(f(left - 6))\" y=\"\(f(py + 4))\" font-size=\"11\" text-anchor=\"end\">\(tickLabel(tick))</text>")
        }
        if let xScale {
            for tick in xScale.ticks() {
                let px = xScale.map(tick)
                out.append("<line x1=\"\(f(px))\" x2=\"\(f(px))\" y1=\"\(f(top))\" y2=\"\(f(bottom))\" stroke=\"#eee\"/>")
                out.append("<text class=\"tick x\" x=\"\(f(px))\" y=\"\(f(bottom + 18))\" font-size=\"11\" text-anchor=\"middle\">\(tickLabel(tick))</text>")
            }
        }
        return out
    }

    private static func legendElements(_ items: [LegendItem]) -> [String] {
        var out = ["<g class=\"legend\">"]
        let x = width - margin.right + 16
        for (index, item) in items.enumerated() {
            let y = margin.top + 8 + Double(index) * legendSpacing
            let name: String
            var bold = false
            switch item {
            case .marker(let text, let colour, let marker, let hollow):
                name = text
                out.append(shape(marker, x: x + 6, y: y, colour: colour, hollow: hollow, attributes: "class=\"legend-marker\""))
            case .swatch(let text, let colour):
                name = text
                out.append("<rect class=\"legend-marker\" x=\"\(f(x))\" y=\"\(f(y - 6))\" width=\"12\" height=\"12\" fill=\"\(colour)\"/>")
            case .line(let text):
                name = text
                out.append("<line x1=\"\(f(x))\" x2=\"\(f(x + 14))\" y1=\"\(f(y))\" y2=\"\(f(y))\" stroke=\"#444\" stroke-dasharray=\"5,3\"/>")
            case .heading(let text):
                name = text
                bold = true
            }
            let textX = bold ? x : x + 20
            out.append("<text class=\"\(bold ? "legend-heading" : "legend-label")\" x=\"\(f(textX))\" y=\"\(f(y + 4))\" font-size=\"12\"\(bold ? " font-weight=\"bold\"" : "")>\(escape(name))</text>")
        }
        out.append("</g>")
        return out
    }

    private static func f(_ value: Double) -> String { String(format: "%.2f", value) }
    private static func g(_ value: Double) -> String { String(format: "%.6g", value) }

    static func tickLabel(_ value: Double) -> String {
        let magnitude = abs(value)
        if magnitude >= 1e6 || (magnitude < 1e-2 && magnitude > 0) { return String(format: "%.0e", value) }
        if value == value.rounded() { return String(format: "%.0f", value) }
        return String(format: "%.3g", value)
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
