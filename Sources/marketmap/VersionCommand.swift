import ArgumentParser
import Enrichment
import MarketMapCore

struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "version", abstract: "Print the version of marketmap and of the libraries it links.")

    func run() {
        print("marketmap \(ProductVersion.current)")
        print("libcurl \(NativeLibraries.curlVersion)")
        print("libpsl \(NativeLibraries.pslVersion)")
    }
}
