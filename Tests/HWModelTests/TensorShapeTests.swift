import Testing
@testable import HWModel

@Suite struct TensorShapeTests {
    @Test func elementCountIsCheckedFor64Bits() {
        #expect(TensorShape([3, 224, 224]).elementCount == 150_528)
        #expect(TensorShape([1 << 40, 1 << 30]).elementCount == nil)
        #expect(TensorShape([3, 224, 224]).description == "[3×224×224]")
    }
}
