import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
import CycleSim
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

    @Test func scatterHasEveryPointTheFrontAxisTitlesAndALegend() throws {
        let results = [try result(0, weights: "binary", latency: 0.4, size: 1.9), try result(1, weights: "binary", latency: 0.8, size: 1.8),
                       try result(2, weights: "post:3", latency: 0.7, size: 4.6), try result(3, weights: "fp32", latency: 6.5, size: 44.6),
                       try result(4, weights: "post:3", latency: 0.1, size: 0.5, fits: false)]
        let front = DesignSpace.paretoFront(results, objectives: [.latency, .size])
        #expect(front == [0, 1])
        let svg = SweepReport.chart(results, front: front, objectives: [.latency, .size], title: "Design space of test")
        let xml = try document(svg)
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
        #expect(legend == ["W binary", "W post:3", "W fp32", "does not fit", "Pareto front"])
        #expect(try nodes(xml, "//*[@class='title']").first?.stringValue == "Design space of test")
    }

    @Test func stackedBarsHaveOneSegmentPerNonZeroValue() throws {
        let svg = SVGChart.stackedBars(title: "Cycles of t", yTitle: "cycles", categories: ["conv1", "conv2", "fc"],
                                       stacks: [("compute", [100, 50, 10]), ("load stall", [0, 25, 90])])
        let xml = try document(svg)
        let bars = try nodes(xml, "//*[@class='bar']")
        #expect(bars.count == 5)
        let fcLoad = bars.first { attribute($0, "data-category") == "fc" && attribute($0, "data-stack") == "load stall" }
        #expect(fcLoad.flatMap { attribute($0, "data-value") } == "90")
        #expect(try nodes(xml, "//*[@class='category']").map { $0.stringValue ?? "" } == ["conv1", "conv2", "fc"])
    }

    @Test func textIsEscaped() throws {
        let svg = SVGChart.stackedBars(title: "a < b & \"c\"", yTitle: "y", categories: ["x<y"], stacks: [("s&t", [1])])
        let xml = try document(svg)
        #expect(try nodes(xml, "//*[@class='title']").first?.stringValue == "a < b & \"c\"")
    }

    @Test func outputIsDeterministic() throws {
        let results = [try result(0, weights: "binary", latency: 0.4, size: 1.9), try result(1, weights: "ternary", latency: 0.5, size: 3.2)]
        let front = DesignSpace.paretoFront(results, objectives: [.latency, .size])
        #expect(SweepReport.chart(results, front: front, objectives: [.latency, .size], title: "t")
                == SweepReport.chart(results, front: front, objectives: [.latency, .size], title: "t"))
    }
}
