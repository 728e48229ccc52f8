import Foundation
import GRDB
import MekongCore
@testable import MekongStore
import Testing

@Suite("Reference data")
struct ReferenceDataTests {
    @Test("the built-in data holds all 18 districts and the ten checkpoints, Thai names intact")
    func builtIn() throws {
        let database = try AppDatabase.inMemory()
        _ = try database.loadReference(try ReferenceData.builtIn())
        let districts = try database.districts()
        #expect(districts.count == 18)
        #expect(districts.map(\.code) == (1...18).map { String(format: "57%02d", $0) })
        let maeSai = try #require(districts.first { $0.code == "5709" })
        #expect(maeSai.name == "Mae Sai")
        #expect(maeSai.nameLocal == "แม่สาย")
        #expect(maeSai.border == ["MM"])
        #expect(districts.first { $0.code == "5708" }?.border == ["LA", "MM"])
        #expect(districts.first { $0.code == "5717" }?.nameLocal == "เวียงเชียงรุ้ง")
        // The Thai text is stored byte for byte (no Unicode normalisation).
        let stored = try database.writer.read { db in try Data.fetchOne(db, sql: "SELECT CAST(name_local AS BLOB) FROM districts WHERE code = '5709'") }
        #expect(stored == Data("แม่สาย".utf8))

        let checkpoints = try database.checkpoints()
        #expect(Set(checkpoints.map(\.code)) == ["MS1", "MS2", "CS1", "SR1", "CK1", "FB4", "SD1", "HB1", "RPT", "RFT"])
        let sopRuak = try #require(checkpoints.first { $0.code == "SR1" })
        #expect(sopRuak.kind == .riverPier)
        #expect(sopRuak.opens?.description == "06:00" && sopRuak.closes?.description == "20:00")
        // Unknown values stay empty rather than invented.
        let romphoThong = try #require(checkpoints.first { $0.code == "RPT" })
        #expect(romphoThong.district == nil && romphoThong.latitude == nil && romphoThong.kind == .tradePoint)
        #expect(try database.checkpoints(district: "5709").map(\.code) == ["MS1", "MS2"])
        let province = try #require(try database.province())
        #expect(province.timeZone == "Asia/Bangkok" && province.casePrefix == "CR" && province.nameLocal == "เชียงราย")
    }

    @Test("loading again adds nothing and keeps an admin's change")
    func idempotent() throws {
        let database = try AppDatabase.inMemory()
        let first = try database.loadReference(try ReferenceData.builtIn())
        #expect(first.districtsAdded == 18 && first.checkpointsAdded == 10 && first.agenciesAdded > 0)
        try database.writer.write { db in try db.execute(sql: "UPDATE checkpoints SET status = 'closed' WHERE code = 'RPT'") }
        let second = try database.loadReference(try ReferenceData.builtIn())
        #expect(!second.addedAnything)
        #expect(second.districtsTotal == 18 && second.checkpointsTotal == 10)
        #expect(second.keptDifferent == ["checkpoint RPT"])
        #expect(try database.checkpoints().first { $0.code == "RPT" }?.status == .closed)
    }

    @Test("another province loads from a folder; the databases do not mix")
    func anotherProvince() throws {
        let folder = try TemporaryFolder()
        try write(folder, province: "code,name,name_local,country,time_zone,case_prefix\nLA-BK,Bokeo,ບໍ່ແກ້ວ,LA,Asia/Vientiane,BK\n",
                  districts: "code,name,name_local,province,country,lat,lon,border\n05-01,Houayxay,ຫ້ວຍຊາຍ,LA-BK,LA,20.27,100.41,TH\n",
                  checkpoints: "code,name,name_local,kind,district,lat,lon,counterpart,opens,closes,status\nHX1,Houayxay pier,,river_pier,05-01,,,Chiang Khong (TH),,,active\n")
        let data = try ReferenceData.load(from: folder.url.path)
        let database = try AppDatabase.inMemory()
        let summary = try database.loadReference(data)
        #expect(summary.timeZone == "Asia/Vientiane")
        #expect(try database.districts().map(\.nameLocal) == ["ຫ້ວຍຊາຍ"])
        #expect {
            try database.loadReference(try ReferenceData.builtIn())
        } throws: { error in
            let error = try #require(error as? MekongError)
            return error.kind == .badData && error.message.contains("holds province LA-BK")
        }
    }

    @Test("bad reference files are refused with file, line and field")
    func badFiles() throws {
        let folder = try TemporaryFolder()
        try write(folder, province: "code,name,name_local,country,time_zone,case_prefix\nTH-57,Chiang Rai,,TH,Asia/Nowhere,cr\n",
                  districts: "code,name,name_local,province,country,lat,lon,border\n5709,Mae Sai,,TH-57,TH,20.3,,MM\n5709,Again,,TH-57,TH,,,\n",
                  checkpoints: "code,name,name_local,kind,district,lat,lon,counterpart,opens,closes,status\nms1,Bridge,,bridge,9999,,,,6:30,,open\n")
        #expect {
            try ReferenceData.load(from: folder.url.path)
        } throws: { error in
            let message = (error as? MekongError)?.message ?? ""
            return ["province.csv line 2, field \"time_zone\"", "province.csv line 2, field \"case_prefix\"",
                    "districts.csv line 2, field \"lon\"", "districts.csv line 3, field \"code\"",
                    "checkpoints.csv line 2, field \"code\"", "checkpoints.csv line 2, field \"kind\"",
                    "checkpoints.csv line 2, field \"district\"", "checkpoints.csv line 2, field \"opens\"",
                    "checkpoints.csv line 2, field \"status\""].allSatisfy(message.contains)
        }
        #expect { try ReferenceData.load(from: folder.path("nowhere")) } throws: { ($0 as? MekongError)?.kind == .inputMissing }
    }

    private func write(_ folder: TemporaryFolder, province: String, districts: String, checkpoints: String) throws {
        try province.write(toFile: folder.path("province.csv"), atomically: true, encoding: .utf8)
        try districts.write(toFile: folder.path("districts.csv"), atomically: true, encoding: .utf8)
        try checkpoints.write(toFile: folder.path("checkpoints.csv"), atomically: true, encoding: .utf8)
        try "code,name,kind,district\n".write(toFile: folder.path("agencies.csv"), atomically: true, encoding: .utf8)
    }
}
