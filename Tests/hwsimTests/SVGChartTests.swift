import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
import CycleSim
import Quantizers
import Explore
@testable import hwsim

/// The SVG the tool writes, read back as XML the way a browser would.
@Suite struct SVGChartTests {
    private func document(_ svg: String) throws -> XMLDocument {
        try XMLDocument(data: Data(svg.utf8), options: [])
    }

    private func nodes(_ document: XMLDocument, _ xpath: String) throws -> [XMLElement] {
        try document.nodes(forXPath: xpath).compactMap { $0 as? XMLElement }
    }

    /// `XMLElement.attribute(forName:)` misses attributes in a default namespace on Linux.
    private func attribute(_ element: XMLElement, _ name: String) -> String? {
        element.attributes?.first { $0.name == name }?.stringValue
    }

    private func result(_ index: Int, weights: String, latency: Double, size: Double, fits: Bool = true) throws -> DesignResult {
        var result = DesignResult(point: DesignPoint(index: index, weights: try .init(parsing: weights), activations: .uniform(bits: 4),
                                                     hardware: "vu9p.json", array: .configured, bandwidthGBps: nil, clockMHz: nil))
        result.latencyMs = latency
        result.modelSizeMiB = size
        result.fits = fits
        return result
    }

    private func sweep(_ results: [DesignResult], title: String = "Design space of test") -> SweepReport.Sweep {
        SweepReport.Sweep(results: results, objectives: [.latency, .size], tolerance: 0, title: title, fingerprint: nil)
    }

    @Test func scatterHasEveryPointTheFrontAxisTitlesAndALegend() throws {
        let results = [try result(0, weights: "binary", latency: 0.4, size: 1.9), try result(1, weights: "binary", latency: 0.8, size: 1.8),
                       try result(2, weights: "post:3", latency: 0.7, size: 4.6), try result(3, weights: "fp32", latency: 6.5, size: 44.6),
                       try result(4, weights: "post:3", latency: 0.1, size: 0.5, fits: false)]
        let sweep = sweep(results)
        #expect(sweep.front == [0, 1])
        let xml = try document(SweepReport.chart(sweep))
        #expect(xml.rootElement()?.name == "svg")
        let points = try nodes(xml, "//*[@class='point']")
        #expect(points.count == 5)
        let coordinates = Set(points.compactMap { element -> String? in
            guard let x = attribute(element, "data-x"), let y = attribute(element, "data-y") else { return nil }
            return "\(x),\(y)"
        })
        #expect(coordinates == ["0.4,1.9", "0.8,1.8", "0.7,4.6", "6.5,44.6", "0.1,0.5"])
        #expect(try nodes(xml, "//*[@class='pareto-point']").count == 2)
        #expect(try nodes(xml, "//*[@class='pareto-front']").count == 1)
        let axisTitles = try nodes(xml, "//*[starts-with(@class, 'axis-title')]").map { $0.stringValue ?? "" }
        #expect(axisTitles == ["latency (ms)", "model size (MiB)"])
        let legend = try nodes(xml, "//*[@class='legend-label']").map { $0.stringValue ?? "" }
        #expect(legend == ["W binary", "W post:3", "W fp32", "A 4-bit", "hollow: does not fit", "Pareto front"])
        #expect(try nodes(xml, "//*[@class='title']").first?.stringValue == "Design space of test")
    }

    @Test func aSchemeKeepsItsColourAndANonFittingPointIsHollowInIt() throws {
        let small = try document(SweepReport.chart(sweep([try result(0, weights: "post:3", latency: 1, size: 2)])))
        let large = try document(SweepReport.chart(sweep([try result(0, weights: "binary", latency: 1, size: 1),
                                                          try result(1, weights: "post:3", latency: 2, size: 3, fits: false)])))
        let alone = try #require(try nodes(small, "//*[@class='point']").first)
        let unfit = try #require(try nodes(large, "//*[@class='point'][@data-fits='no']").first)
        #expect(attribute(alone, "fill") == ChartStyle.colour(.post(bits: 3)))
        #expect(attribute(unfit, "stroke") == ChartStyle.colour(.post(bits: 3)))
        #expect(attribute(unfit, "fill-opacity") == "0")
        #expect(ChartStyle.colour(.uniform(bits: 2)) != ChartStyle.colour(.uniform(bits: 8)))
    }

    @Test func activationWidthsGetDistinctMarkers() {
        let markers = [1, 2, 3, 4, 6, 8, 16, 32].map { ChartStyle.marker(activationBits: $0) }
        #expect(Set(markers).count == markers.count)
    }

    @Test func axesFitTheDataInsteadOfWholeDecades() {
        let scale = SVGChart.Scale(values: [1.9, 11], logarithmic: true, range: (0, 100))
        #expect(scale.low > 1.5 && scale.low < 1.9)
        #expect(scale.high > 11 && scale.high < 14)
        #expect(scale.ticks() == [2, 5, 10])
        let narrow = SVGChart.Scale(values: [2.1, 2.3], logarithmic: true, range: (0, 100))
        #expect(narrow.ticks().count >= 2 && narrow.ticks().allSatisfy { $0 >= narrow.low && $0 <= narrow.high })
    }

    @Test func coincidingPointsAreSpreadApart() {
        let spread = SVGChart.separated([(10, 10), (10, 10), (10.5, 10), (50, 50)])
        #expect(spread[3].x == 50 && spread[3].y == 50)
        for i in 0..<3 {
            for j in (i + 1)..<3 {
                #expect(abs(spread[i].x - spread[j].x) + abs(spread[i].y - spread[j].y) > 4)
            }
        }
    }

    @Test func stackedBarsHaveOneSegmentPerNonZeroValue() throws {
        let svg = SVGChart.stackedBars(title: "Cycles of t", yTitle: "cycles", categories: ["conv1", "conv2", "fc"],
                                       stacks: [.init(name: "compute", colour: "#0072B2", values: [100, 50, 10]),
                                                .init(name: "unused", colour: "#CC79A7", values: [0, 0, 0]),
                                                .init(name: "load stall", colour: "#009E73", values: [0, 25, 90])])
        let xml = try document(svg)
        let bars = try nodes(xml, "//*[@class='bar']")
        #expect(bars.count == 5)
        let fcLoad = bars.first { attribute($0, "data-category") == "fc" && attribute($0, "data-stack") == "load stall" }
        #expect(fcLoad.flatMap { attribute($0, "data-value") } == "90")
        #expect(fcLoad.flatMap { attribute($0, "fill") } == "#009E73")
        #expect(try nodes(xml, "//*[@class='category']").map { $0.stringValue ?? "" } == ["conv1", "conv2", "fc"])
        #expect(try nodes(xml, "//*[@class='legend-label']").map { $0.stringValue ?? "" } == ["compute", "load stall"])
    }

    @Test func cycleCategoriesKeepOneColourEach() {
        let colours = CycleCategory.allCases.map(ChartStyle.colour)
        #expect(Set(colours).count == colours.count)
        #expect(ChartStyle.colour(.loadStall) == "#009E73")
        #expect(RunReport.cyclePlotLegend.contains("mapping loss = ") && RunReport.cyclePlotLegend.contains("other = "))
    }

    @Test func textIsEscaped() throws {
        let svg = SVGChart.stackedBars(title: "a < b & \"c\"", yTitle: "y", categories: ["x<y"], stacks: [.init(name: "s&t", colour: "#000000", values: [1])])
        let xml = try document(svg)
        #expect(try nodes(xml, "//*[@class='title']").first?.stringValue == "a < b & \"c\"")
    }

    @Test func outputIsDeterministic() throws {
        let results = [try result(0, weights: "binary", latency: 0.4, size: 1.9), try result(1, weights: "ternary", latency: 0.5, size: 3.2)]
        #expect(SweepReport.chart(sweep(results, title: "t")) == SweepReport.chart(sweep(results, title: "t")))
    }
}
