#!/usr/bin/env python3
"""Generate realistic incident records for tests and benchmarks: every district and type of
Chiang Rai, seizures of realistic size in every unit, Thai and English text, instants in every
accepted form. Seeded: the same seed and count give the same file.

usage: tools/generate-incidents.py [--count N] [--seed S] [--format ndjson|csv] [--output FILE]
                                   [--start 2020-01-01] [--years 6] [--no-ids]
"""
import argparse, csv, datetime, io, json, random, sys

DISTRICTS = {  # code: (lat, lon, weight) - border districts see most incidents
    "5701": (19.912, 99.787, 6), "5702": (19.869, 99.995, 2), "5703": (20.147, 100.346, 12), "5704": (19.691, 100.192, 5),
    "5705": (19.556, 99.754, 2), "5706": (19.508, 99.976, 1), "5707": (20.158, 99.824, 6), "5708": (20.276, 100.136, 14),
    "5709": (20.370, 99.910, 20), "5710": (19.691, 99.477, 2), "5711": (19.278, 99.437, 1), "5712": (19.885, 100.155, 2),
    "5713": (19.995, 100.467, 8), "5714": (19.876, 100.279, 1), "5715": (20.246, 99.656, 9), "5716": (19.773, 99.700, 1),
    "5717": (20.020, 100.063, 1), "5718": (20.137, 100.151, 1),
}
CHECKPOINTS = {"5709": ["MS1", "MS2"], "5708": ["CS1", "SR1", "SD1"], "5703": ["CK1", "FB4", "HB1", "RPT", "RFT"]}
TYPES = [("drug_seizure", 30), ("scam", 18), ("illegal_immigration", 14), ("vehicle_smuggling", 7), ("goods_smuggling", 8),
         ("human_trafficking", 4), ("wildlife_trafficking", 3), ("timber_trafficking", 3), ("haze_fire", 6),
         ("cross_border_assistance", 4), ("other", 3)]
SOURCES = [("patrol", 30), ("checkpoint_inspection", 25), ("tip_off", 15), ("investigation", 12), ("referral", 12), ("other", 6)]
STATUSES = [("open", 30), ("investigating", 30), ("referred", 15), ("closed", 25)]
PLACES = ["บ้านป่ายาง หมู่ 7", "Ban Sop Ruak pier", "สามเหลี่ยมทองคำ", "Km 3, Phahonyothin road", "ท่าเรือบั๊ค", "Doi Tung foothills",
          "บ้านร่มโพธิ์ทอง หมู่ 19", "Mekong bank below the pier", "ตลาดแม่สาย", "Phu Chi Fa ridge", "ດ່ານຫ້ວຍຊາຍ (Houayxay side)"]
SUMMARIES = {
    "drug_seizure": ["พบยาบ้า {n} เม็ด ซุกในรถกระบะ", "{n} tablets found in sacks under a load of cabbages",
                     "Crystal methamphetamine (ไอซ์) hidden in a fuel tank", "ยาบ้าถูกทิ้งไว้ริมแม่น้ำโขง {n} เม็ด"],
    "scam": ["Call-centre gang posing as police; victim paid by QR code", "แก๊งคอลเซ็นเตอร์หลอกโอนเงิน", "Fake investment app run from a compound across the river 🙂"],
    "illegal_immigration": ["{p} migrants without documents landed by boat at night", "ผู้ลักลอบเข้าเมือง {p} คน"],
    "vehicle_smuggling": ["Stolen pickup with altered plates stopped before the bridge", "รถยนต์ถูกขโมยเตรียมข้ามแดน"],
    "goods_smuggling": ["Untaxed cigarettes unloaded from a cargo boat", "บุหรี่เถื่อนจากเรือสินค้า"],
    "human_trafficking": ["Recruiter with young men promised casino work across the river", "ผู้เสียหายจากการค้ามนุษย์ถูกส่งตัวกลับ"],
    "wildlife_trafficking": ["Pangolin scales seized at the market", "ซากสัตว์ป่าคุ้มครอง"],
    "timber_trafficking": ["Rosewood logs stacked for a night crossing", "ไม้พะยูงเตรียมขนข้ามแดน"],
    "haze_fire": ["Forest fire on the ridge; PM2.5 above 200 µg/m³", "ไฟป่าบนดอย ค่าฝุ่นสูง"],
    "cross_border_assistance": ["Emergency patient transfer outside official hours", "ความร่วมมือทำแนวกันไฟกับชาวบ้านฝั่งลาว"],
    "other": ["Trade point under-used; relocation proposed", "ประชุมคณะกรรมการชายแดน"],
}


def pick(rng, weighted):
    total = sum(w for _, w in weighted)
    x = rng.uniform(0, total)
    for value, weight in weighted:
        x -= weight
        if x <= 0:
            return value
    return weighted[-1][0]


def seizures_for(rng, kind):
    if kind == "drug_seizure":
        out = []
        if rng.random() < 0.7:
            out.append(("methamphetamine_tablets", rng.choice([200_000, 250_000]) * rng.randint(1, 8) if rng.random() < 0.5 else rng.randint(1, 400) * 100, "tablets"))
        if rng.random() < 0.3:
            unit = rng.choice(["kg", "kg", "g", "t"])
            quantity = {"kg": round(rng.uniform(0.5, 320), 1), "g": rng.randint(50, 90_000), "t": round(rng.uniform(0.05, 0.4), 3)}[unit]
            out.append(("crystal_methamphetamine", quantity, unit))
        if rng.random() < 0.15:
            out.append((rng.choice(["heroin", "opium", "ketamine", "cannabis"]), rng.randint(100, 20_000), "g"))
        if rng.random() < 0.05:
            out.append(("precursor_chemicals", round(rng.uniform(0.1, 5), 2), "t") if rng.random() < 0.5 else ("precursor_chemicals", rng.randint(20, 2000), "l"))
        return out
    if kind == "wildlife_trafficking":
        return [("wildlife", round(rng.uniform(0.5, 40), 1), "kg")] + ([("wildlife", rng.randint(1, 6), "pieces")] if rng.random() < 0.4 else [])
    if kind == "timber_trafficking":
        return [("timber", rng.randint(5, 60), "pieces")] + ([("timber", round(rng.uniform(0.2, 3), 2), "t")] if rng.random() < 0.5 else [])
    if kind == "goods_smuggling" and rng.random() < 0.5:
        return [("other", rng.randint(100, 5000), "pieces")]
    return []


def uuid7(rng, ms):
    high = (ms << 16) | 0x7000 | rng.getrandbits(12)
    low = (0b10 << 62) | rng.getrandbits(62)
    h = f"{high:016x}{low:016x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def records(count, seed, start, years, ids):
    rng = random.Random(seed)
    codes = list(DISTRICTS)
    weights = [(code, DISTRICTS[code][2]) for code in codes]
    begin = datetime.datetime.fromisoformat(start).replace(tzinfo=datetime.timezone(datetime.timedelta(hours=7)))
    span = int(years * 365.25 * 86400)
    for _ in range(count):
        kind = pick(rng, TYPES)
        district = pick(rng, weights)
        local = begin + datetime.timedelta(seconds=rng.randrange(span))
        form = rng.random()
        if form < 0.7:
            occurred = local.isoformat(timespec="seconds")
        elif form < 0.85:
            occurred = local.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        elif form < 0.95:
            occurred = local.strftime("%Y-%m-%dT%H:%M")
        else:
            occurred = local.strftime("%Y-%m-%d")
        n = rng.choice([200_000, 250_000, 1_000_000, 1_350_000])
        record = {}
        if ids:
            record["id"] = uuid7(rng, int(local.timestamp() * 1000))
        record.update({"type": kind, "occurred_at": occurred, "district": district})
        if district in CHECKPOINTS and rng.random() < 0.3:
            record["checkpoint"] = rng.choice(CHECKPOINTS[district])
        record["summary"] = rng.choice(SUMMARIES[kind]).format(n=f"{n:,}", p=rng.randint(2, 30))
        record["status"] = pick(rng, STATUSES)
        record["source"] = pick(rng, SOURCES)
        if rng.random() < 0.4:
            record["place"] = rng.choice(PLACES)
        if rng.random() < 0.5:
            lat, lon, _ = DISTRICTS[district]
            record["lat"] = round(lat + rng.uniform(-0.05, 0.05), 4)
            record["lon"] = round(lon + rng.uniform(-0.05, 0.05), 4)
        record["arrests"] = rng.randint(0, 3) if kind != "haze_fire" else 0
        record["persons"] = rng.randint(2, 30) if kind in ("illegal_immigration", "human_trafficking") else 0
        record["vehicles"] = rng.randint(1, 2) if kind in ("vehicle_smuggling", "drug_seizure") and rng.random() < 0.5 else 0
        record["victims"] = rng.randint(1, 12) if kind in ("scam", "human_trafficking") else 0
        if kind == "scam":
            record["loss_thb"] = rng.randint(5, 5_000) * 1000
        seized = seizures_for(rng, kind)
        if seized:
            record["seizures"] = [{"item": i, "quantity": q, "unit": u} for i, q, u in seized]
        yield record


COLUMNS = ["id", "type", "occurred_at", "district", "checkpoint", "summary", "status", "source", "place", "lat", "lon",
           "arrests", "persons", "vehicles", "victims", "loss_thb", "seizures"]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--format", choices=["ndjson", "csv"], default="ndjson")
    parser.add_argument("--output", default="-")
    parser.add_argument("--start", default="2020-01-01")
    parser.add_argument("--years", type=float, default=6)
    parser.add_argument("--no-ids", action="store_true", help="leave ids out (mekong makes them)")
    args = parser.parse_args()
    out = sys.stdout if args.output == "-" else open(args.output, "w", encoding="utf-8", newline="")
    columns = [c for c in COLUMNS if c != "id" or not args.no_ids]
    writer = csv.writer(out, lineterminator="\r\n") if args.format == "csv" else None
    if writer:
        writer.writerow(columns)
    for record in records(args.count, args.seed, args.start, args.years, not args.no_ids):
        if writer:
            row = dict(record)
            row["seizures"] = ";".join(f"{s['item']}:{s['quantity']}:{s['unit']}" for s in record.get("seizures", []))
            writer.writerow(["" if row.get(c) is None else row.get(c) for c in columns])
        else:
            out.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n")
    if out is not sys.stdout:
        out.close()


if __name__ == "__main__":
    main()
