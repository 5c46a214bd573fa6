import MarketMapCore
import Testing

@Test("the product version is a semantic version")
func productVersion() {
    let parts = ProductVersion.current.split(separator: ".")
    #expect(parts.count == 3)
    #expect(parts.allSatisfy { Int($0) != nil })
}
