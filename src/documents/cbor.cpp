#include "documents/cbor.h"

#include <limits>

namespace baladiya::documents::cbor {
namespace {

void Head(std::string& out, uint8_t major, uint64_t v) {
  const uint8_t m = static_cast<uint8_t>(major << 5);
  auto put = [&](int bytes) {
    for (int i = bytes - 1; i >= 0; --i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
  };
  if (v < 24) {
    out.push_back(static_cast<char>(m | v));
  } else if (v <= 0xff) {
    out.push_back(static_cast<char>(m | 24));
    put(1);
  } else if (v <= 0xffff) {
    out.push_back(static_cast<char>(m | 25));
    put(2);
  } else if (v <= 0xffffffffULL) {
    out.push_back(static_cast<char>(m | 26));
    put(4);
  } else {
    out.push_back(static_cast<char>(m | 27));
    put(8);
  }
}

Error Malformed(std::string detail) {
  return MakeError(ErrorCode::kInvalid, "documents.code_malformed", "CBOR: " + std::move(detail));
}

class Reader {
 public:
  explicit Reader(std::string_view d) : d_(d) {}

  Result<Item> Next(int depth) {
    if (depth > 16) return Malformed("nested too deep");
    if (at_ >= d_.size()) return Malformed("truncated");
    const uint8_t first = static_cast<uint8_t>(d_[at_++]);
    const uint8_t major = first >> 5;
    const uint8_t info = first & 0x1f;
    uint64_t v = 0;
    if (info < 24) {
      v = info;
    } else if (info <= 27) {
      const int n = 1 << (info - 24);
      if (d_.size() - at_ < static_cast<size_t>(n)) return Malformed("truncated head");
      for (int i = 0; i < n; ++i) v = (v << 8) | static_cast<uint8_t>(d_[at_++]);
    } else {
      return Malformed("indefinite length or reserved value");
    }
    Item item;
    switch (major) {
      case 0:
        if (v > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
          return Malformed("integer too large");
        item.type = Item::Type::kInt;
        item.integer = static_cast<int64_t>(v);
        return item;
      case 1:
        if (v > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
          return Malformed("integer too small");
        item.type = Item::Type::kInt;
        item.integer = -1 - static_cast<int64_t>(v);
        return item;
      case 2:
      case 3:
        if (v > d_.size() - at_) return Malformed("string past the end");
        item.type = major == 2 ? Item::Type::kBytes : Item::Type::kText;
        item.bytes = std::string(d_.substr(at_, v));
        at_ += v;
        return item;
      case 4: {
        if (v > d_.size() - at_) return Malformed("array longer than the input");
        item.type = Item::Type::kArray;
        for (uint64_t i = 0; i < v; ++i) {
          auto e = Next(depth + 1);
          if (!e.ok()) return e;
          item.items.push_back(std::move(*e));
        }
        return item;
      }
      case 5: {
        if (v > d_.size() - at_) return Malformed("map longer than the input");
        item.type = Item::Type::kMap;
        for (uint64_t i = 0; i < v; ++i) {
          auto k = Next(depth + 1);
          if (!k.ok()) return k;
          auto val = Next(depth + 1);
          if (!val.ok()) return val;
          item.pairs.push_back({std::move(*k), std::move(*val)});
        }
        return item;
      }
      case 6: {
        item.type = Item::Type::kTag;
        item.tag = v;
        auto e = Next(depth + 1);
        if (!e.ok()) return e;
        item.items.push_back(std::move(*e));
        return item;
      }
      default:
        if (info == 20 || info == 21) {
          item.type = Item::Type::kBool;
          item.integer = info == 21;
          return item;
        }
        if (info == 22) return item;
        return Malformed("unsupported simple value or float");
    }
  }

  bool AtEnd() const { return at_ == d_.size(); }

 private:
  std::string_view d_;
  size_t at_ = 0;
};

}  // namespace

void Uint(std::string& out, uint64_t v) { Head(out, 0, v); }
void Int(std::string& out, int64_t v) {
  if (v >= 0) {
    Head(out, 0, static_cast<uint64_t>(v));
  } else {
    Head(out, 1, static_cast<uint64_t>(-1 - v));
  }
}
void Bytes(std::string& out, std::string_view b) {
  Head(out, 2, b.size());
  out.append(b);
}
void Text(std::string& out, std::string_view t) {
  Head(out, 3, t.size());
  out.append(t);
}
void Array(std::string& out, uint64_t n) { Head(out, 4, n); }
void Map(std::string& out, uint64_t n) { Head(out, 5, n); }
void Tag(std::string& out, uint64_t tag) { Head(out, 6, tag); }
void Bool(std::string& out, bool v) { out.push_back(static_cast<char>(v ? 0xf5 : 0xf4)); }

const Item* Item::At(int64_t k) const {
  for (const auto& [key, value] : pairs) {
    if (key.type == Type::kInt && key.integer == k) return &value;
  }
  return nullptr;
}

const Item* Item::At(std::string_view k) const {
  for (const auto& [key, value] : pairs) {
    if (key.type == Type::kText && key.bytes == k) return &value;
  }
  return nullptr;
}

Result<Item> Decode(std::string_view data) {
  Reader r(data);
  auto item = r.Next(0);
  if (!item.ok()) return item;
  if (!r.AtEnd()) return Malformed("bytes after the item");
  return item;
}

}  // namespace baladiya::documents::cbor
