import Foundation
import MekongCore

/// Bytes read in chunks from a file, standard input or memory, so an import holds one chunk
/// at a time however large the file is.
public protocol ByteSource {
    /// Reads up to `buffer.count` bytes; 0 at the end.
    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int
    /// The total size when known (a regular file), for a progress bar.
    var totalBytes: Int64? { get }
    /// A name for messages: the path, or "standard input".
    var description: String { get }
}

/// A file or standard input (`-`).
public final class FileSource: ByteSource {
    private let fd: Int32
    private let ownsDescriptor: Bool
    public let totalBytes: Int64?
    public let description: String

    /// Opens `path` for reading; `-` is standard input.
    public init(path: String) throws(MekongError) {
        if path == "-" {
            fd = STDIN_FILENO
            ownsDescriptor = false
            description = "standard input"
            totalBytes = nil
            return
        }
        var info = stat()
        if stat(path, &info) != 0 {
            throw MekongError(.inputMissing, "\(path): \(String(cString: strerror(errno)))")
        }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            throw MekongError(.inputMissing, "\(path) is a folder, not a file")
        }
        let fd = open(path, O_RDONLY)
        if fd < 0 {
            throw MekongError(.inputMissing, "\(path): \(String(cString: strerror(errno)))")
        }
        self.fd = fd
        ownsDescriptor = true
        description = path
        totalBytes = (info.st_mode & S_IFMT) == S_IFREG ? Int64(info.st_size) : nil
    }

    deinit {
        if ownsDescriptor { close(fd) }
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        while true {
            let count = Foundation.read(fd, buffer.baseAddress, buffer.count)
            if count >= 0 { return count }
            if errno == EINTR { continue }
            throw MekongError(.inputMissing, "\(description): read failed: \(String(cString: strerror(errno)))")
        }
    }
}

/// Bytes already in memory: the demo incidents compiled into the binary, and tests.
public struct MemorySource: ByteSource {
    private let bytes: [UInt8]
    private var offset = 0
    public let description: String

    public init(_ bytes: [UInt8], description: String = "memory") {
        self.bytes = bytes
        self.description = description
    }

    public var totalBytes: Int64? { Int64(bytes.count) }

    public mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let count = min(buffer.count, bytes.count - offset)
        bytes.withUnsafeBytes { source in
            buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[offset..<offset + count]))
        }
        offset += count
        return count
    }
}

/// Reads a source chunk by chunk, counting and hashing every byte that passes: the import's
/// progress and the SHA-256 its audit entry names.
///
/// The source is held as an existential: one dynamic call per chunk, and in return the readers
/// above need no generic parameter, so their per-byte code is compiled for exactly one type.
public struct ChunkReader {
    public private(set) var source: any ByteSource
    private var buffer: [UInt8]
    private var hasher = StreamDigest()
    /// Bytes read so far.
    public private(set) var bytesRead: Int64 = 0
    public private(set) var finished = false

    public init(_ source: any ByteSource, chunkSize: Int = 1 << 18) {
        self.source = source
        buffer = [UInt8](repeating: 0, count: chunkSize)
    }

    /// Calls `body` with the next chunk; returns false at the end of the input.
    public mutating func next(_ body: (UnsafeBufferPointer<UInt8>) throws -> Void) throws -> Bool {
        if finished { return false }
        let count = try buffer.withUnsafeMutableBytes { try source.read(into: $0) }
        if count == 0 {
            finished = true
            return false
        }
        bytesRead += Int64(count)
        try buffer.withUnsafeBufferPointer { all in
            let chunk = UnsafeBufferPointer(rebasing: all[0..<count])
            hasher.update(UnsafeRawBufferPointer(chunk))
            try body(chunk)
        }
        return true
    }

    /// The SHA-256 of the whole input, once it has been read to the end.
    public var digest: String? { finished ? hasher.finish() : nil }
}

/// Splits a byte source into lines (LF or CRLF), numbered from 1, each at most `maximumLength`
/// bytes: a longer line is reported and skipped without ever being held in memory whole.
public struct LineReader {
    public enum Line {
        case text(number: Int, bytes: [UInt8])
        case tooLong(number: Int, length: Int)
    }

    public private(set) var chunks: ChunkReader
    public var maximumLength: Int
    private var chunk: [UInt8] = []
    private var start = 0
    private var lineNumber = 0

    public init(_ source: any ByteSource, maximumLength: Int = 1 << 20, chunkSize: Int = 1 << 18) {
        chunks = ChunkReader(source, chunkSize: chunkSize)
        self.maximumLength = maximumLength
    }

    /// Bytes consumed so far, for progress.
    public var bytesRead: Int64 { chunks.bytesRead }
    /// The SHA-256 of the whole input, once it has been read to the end.
    public var digest: String? { chunks.digest }

    /// The next line without its line break, or nil at the end.
    public mutating func next() throws -> Line? {
        var pending: [UInt8] = []
        var overflow = 0
        while true {
            if start < chunk.count {
                let newline = chunk[start...].firstIndex(of: 0x0A)
                let stop = newline ?? chunk.count
                let piece = stop - start
                if overflow == 0 && pending.count + piece <= maximumLength {
                    if newline != nil && pending.isEmpty {
                        let line = Array(chunk[start..<stop])
                        start = stop + 1
                        lineNumber += 1
                        return .text(number: lineNumber, bytes: trimmingCR(line))
                    }
                    pending.append(contentsOf: chunk[start..<stop])
                } else {
                    overflow += pending.count + piece
                    pending.removeAll()
                }
                start = newline.map { $0 + 1 } ?? chunk.count
                if newline != nil {
                    lineNumber += 1
                    if overflow > 0 { return .tooLong(number: lineNumber, length: overflow) }
                    return .text(number: lineNumber, bytes: trimmingCR(pending))
                }
            }
            var more = false
            let got = try chunks.next { bytes in
                chunk.removeAll(keepingCapacity: true)
                chunk.append(contentsOf: bytes)
                more = true
            }
            start = 0
            if !got || !more {
                chunk.removeAll(keepingCapacity: true)
                if pending.isEmpty && overflow == 0 { return nil }
                lineNumber += 1
                if overflow > 0 { return .tooLong(number: lineNumber, length: overflow) }
                return .text(number: lineNumber, bytes: trimmingCR(pending))
            }
        }
    }

    private func trimmingCR(_ line: [UInt8]) -> [UInt8] {
        line.last == 0x0D ? Array(line.dropLast()) : line
    }
}
