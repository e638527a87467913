import Foundation
import ZIPFoundation

/// The XML parts of an XLSX workbook's `bytes`, by path in the zip, as text.
func workbookParts(_ bytes: Data) throws -> [String: String] {
    let archive = try Archive(data: bytes, accessMode: .read)
    var parts: [String: String] = [:]
    for entry in archive {
        var data = Data()
        _ = try archive.extract(entry) { data.append($0) }
        parts[entry.path] = String(decoding: data, as: UTF8.self)
    }
    return parts
}
