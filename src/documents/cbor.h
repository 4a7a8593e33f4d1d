// The small part of CBOR (RFC 8949) that signed document codes need: unsigned and negative
// integers, byte and text strings, arrays, maps, tags and the simple values false, true and
// null, definite lengths only. Encoding writes the preferred (shortest) form, so that what is
// signed is deterministic; decoding refuses anything else it does not know (indefinite lengths,
// floats, nesting past a limit, lengths past the input) instead of guessing.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "platform/result.h"

namespace baladiya::documents::cbor {

// Appends one item's head or whole value to out.
void Uint(std::string& out, uint64_t v);
void Int(std::string& out, int64_t v);
void Bytes(std::string& out, std::string_view b);
void Text(std::string& out, std::string_view t);
void Array(std::string& out, uint64_t n);  // then n items
void Map(std::string& out, uint64_t n);    // then n key, value pairs
void Tag(std::string& out, uint64_t tag);  // then the tagged item
void Bool(std::string& out, bool v);

// A decoded item.
struct Item {
  enum class Type { kInt, kBytes, kText, kArray, kMap, kTag, kBool, kNull };
  Type type = Type::kNull;
  int64_t integer = 0;      // kInt (negative ones too, within int64), kBool (0/1)
  uint64_t tag = 0;         // kTag: the tagged item is items[0]
  std::string bytes;        // kBytes, kText
  std::vector<Item> items;  // kArray, kTag
  // A map's entry. (Not std::pair<Item, Item>: a pair of a type still being defined is refused by
  // clang, which builds make fuzz.)
  struct Entry;
  std::vector<Entry> pairs;  // kMap

  // The value of the map entry with integer key k, or null.
  const Item* At(int64_t k) const;
  // The value of the map entry with text key k, or null.
  const Item* At(std::string_view k) const;
};

struct Item::Entry {
  Item key;
  Item value;
};

// Decodes exactly one item filling the whole input. kInvalid ("documents.code_malformed") for
// anything malformed, unsupported, nested deeper than 16 or followed by other bytes.
Result<Item> Decode(std::string_view data);

}  // namespace baladiya::documents::cbor
