import Foundation

extension SVGChart {
    /// A linear or base-10 logarithmic mapping from data to pixels, fitted to the data (a few
    /// percent of padding, no rounding out to whole decades), with "nice" ticks inside it.
    struct Scale {
        var low: Double
        var high: Double
        var logarithmic: Bool
        var range: (Double, Double)

        /// Padding on each side, as a fraction of the data's span (in decades on a log axis).
        static let padding = 0.05

        /// `includeZero` keeps 0 at the bottom of a linear axis (bars grow from it).
        init(values: [Double], logarithmic: Bool, range: (Double, Double), includeZero: Bool = false) {
            let usable = values.filter { $0.isFinite && (!logarithmic || $0 > 0) }
            let log = logarithmic && !usable.isEmpty
            var low = usable.min() ?? 0, high = usable.max() ?? 1
            if log {
                var lowDecade = Foundation.log10(low), highDecade = Foundation.log10(high)
                // A tenth of a decade at least, so that one value still gets an axis around it.
                if highDecade - lowDecade < 0.1 {
                    let middle = (lowDecade + highDecade) / 2
                    lowDecade = middle - 0.05
                    highDecade = middle + 0.05
                }
                let pad = (highDecade - lowDecade) * Self.padding
                low = Foundation.pow(10, lowDecade - pad)
                high = Foundation.pow(10, highDecade + pad)
            } else {
                if includeZero { low = min(low, 0) }
                if high == low { high = low + 1 }
                let pad = (high - low) * Self.padding
                low = includeZero && low == 0 ? 0 : low - pad
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

        /// Ticks inside the axis: on a log axis 1-2-5 per decade, every integer multiple when
        /// that gives fewer than three, and linear steps when the axis spans too little for either.
        func ticks() -> [Double] {
            if logarithmic {
                for steps in [[1.0], [1, 2, 5], [1, 2, 3, 4, 5, 6, 7, 8, 9]] {
                    let ticks = decadeTicks(steps)
                    if ticks.count >= 3 && ticks.count <= 12 { return ticks }
                }
            }
            return linearTicks()
        }

        private func decadeTicks(_ steps: [Double]) -> [Double] {
            var ticks: [Double] = []
            var decade = Foundation.pow(10, Foundation.floor(Foundation.log10(low)))
            while decade <= high {
                for step in steps {
                    let tick = decade * step
                    if tick >= low * (1 - 1e-9) && tick <= high * (1 + 1e-9) { ticks.append(tick) }
                }
                decade *= 10
            }
            return ticks
        }

        private func linearTicks() -> [Double] {
            let rough = (high - low) / 6
            let magnitude = Foundation.pow(10, Foundation.floor(Foundation.log10(rough)))
            let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= rough } ?? magnitude * 10
            var ticks: [Double] = []
            var index = Foundation.ceil(low / step - 1e-9)
            while index * step <= high + step * 1e-9 {
                // Multiplying the index (not adding steps) keeps 0.3 from printing as 0.30000000000000004.
                ticks.append(index * step + 0)  // + 0 turns −0 into 0, so no tick reads "-0"
                index += 1
            }
            return ticks
        }
    }
}
