import CCurl
import CPSL

/// Versions of the C libraries enrichment and normalization link against,
/// reported by `marketmap version` so an operator can check a deployment.
public enum NativeLibraries {
    public static var curlVersion: String {
        guard let info = curl_version_info(CURLVERSION_TENTH), let version = info.pointee.version else {
            return "unknown"
        }
        return String(cString: version)
    }

    public static var pslVersion: String {
        guard let version = psl_get_version() else { return "unknown" }
        return String(cString: version)
    }
}
