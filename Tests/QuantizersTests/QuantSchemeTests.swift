import Testing
@testable import Quantizers

@Suite struct QuantSchemeTests {
    @Test func parsesEveryFamilyAndPrintsItBack() throws {
        for text in ["fp32", "uniform:4", "lsq:8", "vecq:2", "asq:3", "pot:3", "post:4", "apot:4",
                     "ternary", "binary", "qn:ternary", "qn:{-4,-2,-1,0,1,2,4}"] {
            let scheme = try QuantScheme(parsing: text)
            let expected = text == "qn:{-4,-2,-1,0,1,2,4}" ? "qn:3bit-pm4" : text
            #expect(scheme.description == expected)
            #expect(try QuantScheme(parsing: scheme.description) == scheme)
        }
    }

    @Test func codeBits() throws {
        #expect(try QuantScheme(parsing: "qn:5bit").bits == 5)
        #expect(try QuantScheme(parsing: "qn:3bit-pm2").bits == 3)
        #expect(try QuantScheme(parsing: "ternary").bits == 2)
        #expect(QuantScheme.fp32.bits == 32)
    }

    @Test(arguments: ["uniform:0", "uniform:33", "uniform:four", "post:1", "post:9", "uniform",
                      "int4x", "qn:", "qn:{1,0}", "qn:{0,0,1}", "qn:{1}", "binary:2"])
    func rejectsBadSchemes(text: String) {
        #expect(throws: QuantSchemeError.self) { try QuantScheme(parsing: text) }
    }
}
