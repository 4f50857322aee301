import Foundation

/// Minimal SVG charts written by hwsim itself: a scatter plot with a highlighted front, and
/// stacked bars. Output is deterministic (fixed-precision coordinates, stable series order).
enum SVGChart {
    /// A named group of points, drawn in one colour and listed in the legend.
    struct Series {
        var name: String
        var points: [(x: Double, y: Double, label: String)]
    }

    struct Axis {
        var title: String
        var logarithmic: Bool
    }

    /// Colour-blind-friendly palette (Okabe–Ito) followed by further distinct colours; with more
    /// series than colours, markers change shape so that no two series look alike.
    static let palette = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000",
                          "#8C564B", "#7F7F7F", "#BCBD22", "#17BECF", "#9467BD", "#AEC7E8"]

    /// Marker of series `index`: circles, then squares, then diamonds.
    static func marker(_ index: Int, x: Double, y: Double, extra: String) -> String {
        switch (index / palette.count) % 3 {
        case 0:
            return "<circle class=\"point\" cx=\"\(f(x))\" cy=\"\(f(y))\" r=\"4\" \(extra)"
        case 1:
            return "<rect class=\"point\" x=\"\(f(x - 4))\" y=\"\(f(y - 4))\" width=\"8\" height=\"8\" \(extra)"
        default:
            return "<rect class=\"point\" x=\"\(f(x - 3.5))\" y=\"\(f(y - 3.5))\" width=\"7\" height=\"7\" transform=\"rotate(45 \(f(x)) \(f(y)))\" \(extra)"
        }
    }

    static let width = 880.0
    static let height = 560.0
    static let margin = (left: 90.0, right: 200.0, top: 50.0, bottom: 70.0)

    /// A scatter plot of `series`, with `front` (already sorted by x) drawn as a step line.
    static func scatter(title: String, x: Axis, y: Axis, series: [Series], front: [(x: Double, y: Double)]) -> String {
        let all = series.flatMap(\.points)
        let xScale = Scale(values: all.map(\.x), logarithmic: x.logarithmic,
                           range: (margin.left, width - margin.right))
        let yScale = Scale(values: all.map(\.y), logarithmic: y.logarithmic,
                           range: (height - margin.bottom, margin.top))
        var body = frame(title: title, x: x, y: y, xScale: xScale, yScale: yScale)
        if front.count > 1 {
            var path = ""
            for (index, point) in front.enumerated() {
                let px = xScale.map(point.x), py = yScale.map(point.y)
                if index == 0 {
                    path += "M\(f(px)),\(f(py))"
                } else {
                    path += " H\(f(px)) V\(f(py))"
                }
            }
            body.append("<path class=\"pareto-front\" d=\"\(path)\" fill=\"none\" stroke=\"#444\" stroke-width=\"1.5\" stroke-dasharray=\"5,3\"/>")
        }
        for (index, item) in series.enumerated() {
            let colour = palette[index % palette.count]
            body.append("<g class=\"series\" data-name=\"\(escape(item.name))\" fill=\"\(colour)\">")
            for point in item.points {
                let extra = "data-x=\"\(g(point.x))\" data-y=\"\(g(point.y))\" fill-opacity=\"0.85\"><title>\(escape(point.label))</title>"
                let shape = marker(index, x: xScale.map(point.x), y: yScale.map(point.y), extra: extra)
                body.append(shape + (shape.hasPrefix("<circle") ? "</circle>" : "</rect>"))
            }
            body.append("</g>")
        }
        for point in front {
            body.append("<circle class=\"pareto-point\" cx=\"\(f(xScale.map(point.x)))\" cy=\"\(f(yScale.map(point.y)))\" r=\"7\" fill=\"none\" stroke=\"#000\" stroke-width=\"1.2\"/>")
        }
        body += legend(series.map(\.name) + (front.isEmpty ? [] : ["Pareto front"]), frontLast: !front.isEmpty)
        return document(body)
    }

    /// Stacked horizontal-axis bars: one bar per category, one segment per stack.
    static func stackedBars(title: String, yTitle: String, categories: [String], stacks: [(name: String, values: [Double])]) -> String {
        let totals = categories.indices.map { index in stacks.reduce(0) { $0 + $1.values[index] } }
        // Rotated layer names need room under the plot.
        let longest = Double(categories.map(\.count).max() ?? 0)
        let bottom = min(max(margin.bottom, 30 + longest * 5.2 * 0.87), 220)
        let yScale = Scale(values: [0] + totals, logarithmic: false, range: (height - bottom, margin.top))
        let plotWidth = width - margin.left - margin.right
        let slot = plotWidth / Double(max(categories.count, 1))
        var body = frame(title: title, x: Axis(title: "layer", logarithmic: false), y: Axis(title: yTitle, logarithmic: false),
                         xScale: nil, yScale: yScale, bottom: bottom)
        for (index, category) in categories.enumerated() {
            var base = 0.0
            let x = margin.left + slot * Double(index) + slot * 0.1
            for (stackIndex, stack) in stacks.enumerated() {
                let value = stack.values[index]
                guard value > 0 else { continue }
                let top = yScale.map(base + value), bottom = yScale.map(base)
                body.append("<rect class=\"bar\" data-category=\"\(escape(category))\" data-stack=\"\(escape(stack.name))\" data-value=\"\(g(value))\" x=\"\(f(x))\" y=\"\(f(top))\" width=\"\(f(slot * 0.8))\" height=\"\(f(bottom - top))\" fill=\"\(palette[stackIndex % palette.count])\"><title>\(escape(category)): \(escape(stack.name)) \(g(value))</title></rect>")
                base += value
            }
            if categories.count <= 80 {
                let labelX = x + slot * 0.4, labelY = height - bottom + 8
                body.append("<text class=\"category\" x=\"\(f(labelX))\" y=\"\(f(labelY))\" font-size=\"9\" text-anchor=\"end\" transform=\"rotate(-60 \(f(labelX)) \(f(labelY)))\">\(escape(category))</text>")
            }
        }
        body += legend(stacks.map(\.name), frontLast: false, squares: true)
        return document(body)
    }

    // MARK: - Pieces

    private static func document(_ body: [String]) -> String {
        ([
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(f(width))\" height=\"\(f(height))\" viewBox=\"0 0 \(f(width)) \(f(height))\" font-family=\"Helvetica, Arial, sans-serif\">",
            "<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>",
        ] + body + ["</svg>"]).joined(separator: "\n") + "\n"
    }

    private static func frame(title: String, x: Axis, y: Axis, xScale: Scale?, yScale: Scale, bottom bottomMargin: Double = margin.bottom) -> [String] {
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

    private static func legend(_ names: [String], frontLast: Bool, squares: Bool = false) -> [String] {
        var out = ["<g class=\"legend\">"]
        let x = width - margin.right + 16
        for (index, name) in names.enumerated() {
            let y = margin.top + 8 + Double(index) * 20
            if frontLast && index == names.count - 1 {
                out.append("<line x1=\"\(f(x))\" x2=\"\(f(x + 14))\" y1=\"\(f(y))\" y2=\"\(f(y))\" stroke=\"#444\" stroke-dasharray=\"5,3\"/>")
            } else if squares {
                out.append("<rect class=\"legend-marker\" x=\"\(f(x))\" y=\"\(f(y - 6))\" width=\"12\" height=\"12\" fill=\"\(palette[index % palette.count])\"/>")
            } else {
                let shape = marker(index, x: x + 6, y: y, extra: "fill=\"\(palette[index % palette.count])\">")
                out.append(shape.replacingOccurrences(of: "class=\"point\"", with: "class=\"legend-marker\"") + (shape.hasPrefix("<circle") ? "</circle>" : "</rect>"))
            }
            out.append("<text class=\"legend-label\" x=\"\(f(x + 20))\" y=\"\(f(y + 4))\" font-size=\"12\">\(escape(name))</text>")
        }
        out.append("</g>")
        return out
    }

    /// A linear or base-10 logarithmic mapping from data to pixels with "nice" ticks.
    struct Scale {
        var low: Double
        var high: Double
        var logarithmic: Bool
        var range: (Double, Double)

        init(values: [Double], logarithmic: Bool, range: (Double, Double)) {
            let usable = values.filter { $0.isFinite && (!logarithmic || $0 > 0) }
            var low = usable.min() ?? 0, high = usable.max() ?? 1
            let log = logarithmic && !usable.isEmpty
            if log {
                low = Foundation.pow(10, Foundation.floor(Foundation.log10(low)))
                high = Foundation.pow(10, Foundation.ceil(Foundation.log10(high)))
                if high <= low { high = low * 10 }
            } else {
                if low > 0 && low < high * 0.5 { low = 0 }
                if high == low { high = low + 1 }
                let pad = (high - low) * 0.05
                low = low == 0 ? 0 : low - pad
                high += pad
            }
            self.low = low
            self.high = high
            self.logarithmic = log
            self.range = range
        }

        func map(_ value: Double) -> Double {
            let t: Double
            if logarithmic {
                t = (Foundation.log10(max(value, low)) - Foundation.log10(low)) / (Foundation.log10(high) - Foundation.log10(low))
            } else {
                t = (value - low) / (high - low)
            }
            return range.0 + t * (range.1 - range.0)
        }

        func ticks() -> [Double] {
            if logarithmic {
                // Decades, plus 2 and 5 within each when the axis spans few decades.
                let decades = Foundation.log10(high / low)
                let steps: [Double] = decades <= 3 ? [1, 2, 5] : [1]
                var ticks: [Double] = []
                var decade = low
                while decade <= high * 1.0000001 {
                    for step in steps where decade * step <= high * 1.0000001 { ticks.append(decade * step) }
                    decade *= 10
                }
                return ticks
            }
            let rough = (high - low) / 6
            let magnitude = Foundation.pow(10, Foundation.floor(Foundation.log10(rough)))
            let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= rough } ?? magnitude * 10
            var ticks: [Double] = []
            var value = Foundation.ceil(low / step) * step
            while value <= high + step * 1e-9 {
                ticks.append(value)
                value += step
            }
            return ticks
        }
    }

    private static func f(_ value: Double) -> String { String(format: "%.2f", value) }
    private static func g(_ value: Double) -> String { String(format: "%.6g", value) }

    private static func tickLabel(_ value: Double) -> String {
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
