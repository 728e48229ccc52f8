import Dispatch
import Foundation
import MekongCore
import Synchronization

/// A record of an import file after the work that needs no database: read, parsed, validated.
enum PreparedRecord {
    /// An incident ready to store: filled in by `IncidentWriter.prepare`, with its creation hash.
    case valid(Incident, createdHash: [UInt8], line: Int)
    case invalid([RecordProblem], line: Int, original: OriginalRecord?)
}

/// Reads, parses and validates import records on a second thread while the database thread
/// inserts the ones before them: the two cores of a district office's machine both work, and
/// the file is still read once, in order, in flat memory (a few small batches in flight).
final class RecordPipeline: @unchecked Sendable {
    struct Batch {
        var records: [PreparedRecord] = []
        var bytesRead: Int64 = 0
        /// Set on the last batch: the SHA-256 of the whole file.
        var finished = false
        var digest: String?
        /// The CSV header, on every batch (a rejected row of any batch is written under it).
        var header: [String]?
    }

    private static let batchSize = 256
    private static let batchesInFlight = 4

    private let queue = Mutex<[Result<Batch, any Error>]>([])
    private let filled = DispatchSemaphore(value: 0)
    private let free = DispatchSemaphore(value: RecordPipeline.batchesInFlight)
    private let stop = Atomic<Bool>(false)

    /// Starts reading on its own thread; the reader is the thread's alone from here on.
    init(_ box: ReaderBox, known: KnownCodes, calendar: LocalCalendar, recordedBy: String?, now: String, startMilliseconds: UInt64) {
        let thread = Thread { [self] in
            self.produce(box, known: known, calendar: calendar, recordedBy: recordedBy, now: now, startMilliseconds: startMilliseconds)
        }
        thread.stackSize = 1 << 22
        thread.start()
    }

    /// The next batch, waiting for it; nil after the last.
    func next() throws -> Batch {
        filled.wait()
        let result = queue.withLock { $0.removeFirst() }
        free.signal()
        return try result.get()
    }

    /// Tells the reading thread to stop early (the import failed); it ends at its next batch.
    func cancel() {
        stop.store(true, ordering: .relaxed)
        // Let a producer blocked on a full queue see the flag.
        for _ in 0..<RecordPipeline.batchesInFlight { free.signal() }
    }

    private func produce(_ box: ReaderBox, known: KnownCodes, calendar: LocalCalendar, recordedBy: String?, now: String,
                         startMilliseconds: UInt64) {
        var generator = IncidentIDGenerator()
        var scratch = JSONWriter(capacity: 2048)
        while true {
            free.wait()
            if stop.load(ordering: .relaxed) { return }
            var batch = Batch()
            batch.records.reserveCapacity(RecordPipeline.batchSize)
            do {
                while batch.records.count < RecordPipeline.batchSize {
                    guard let item = try box.reader.next() else {
                        batch.finished = true
                        batch.digest = box.reader.digest
                        break
                    }
                    switch item {
                    case .failure(let unreadable):
                        batch.records.append(.invalid([unreadable.problem], line: unreadable.problem.line, original: unreadable.original))
                    case .success(let record):
                        do throws(ValidationFailure) {
                            var incident = try record.draft.validate(known: known) { generator.next(nowMilliseconds: startMilliseconds) }
                            let hash = IncidentWriter.prepare(&incident, recordedBy: recordedBy, now: now, calendar: calendar, scratch: &scratch)
                            batch.records.append(.valid(incident, createdHash: hash, line: record.line))
                        } catch {
                            batch.records.append(.invalid(error.problems.map { RecordProblem(line: record.line, field: $0.field, message: $0.message) },
                                                          line: record.line, original: record.original))
                        }
                    }
                }
                batch.header = box.reader.header
                batch.bytesRead = box.reader.bytesRead
                let done = batch.finished
                queue.withLock { $0.append(.success(batch)) }
                filled.signal()
                if done { return }
            } catch {
                queue.withLock { $0.append(.failure(error)) }
                filled.signal()
                return
            }
        }
    }
}

/// Hands a reader to the pipeline's thread, which alone uses it from then on.
final class ReaderBox: @unchecked Sendable {
    var reader: any IncidentRecordReader
    init(_ reader: any IncidentRecordReader) { self.reader = reader }
}
