#include "core/words.h"

#include <unicode/brkiter.h>
#include <unicode/normalizer2.h>
#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <unordered_map>

namespace govqm {
namespace {

icu::UnicodeString FromUtf8(std::string_view s) {
  return icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), static_cast<int32_t>(s.size())));
}

// NFKC case folding (ICU's nfkc_cf), or the text unchanged when ICU cannot give it.
std::string Fold(const icu::UnicodeString& s) {
  UErrorCode err = U_ZERO_ERROR;
  const icu::Normalizer2* fold = icu::Normalizer2::getNFKCCasefoldInstance(err);
  std::string out;
  if (U_FAILURE(err)) return s.toUTF8String(out);
  const icu::UnicodeString folded = fold->normalize(s, err);
  if (U_FAILURE(err)) return s.toUTF8String(out);
  return folded.toUTF8String(out);
}

std::string_view Trim(std::string_view s) {
  const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return s;
}

}  // namespace

struct WordSegmenter::Impl {
  std::unique_ptr<icu::BreakIterator> words;
};

WordSegmenter::WordSegmenter() : impl_(std::make_unique<Impl>()) {
  UErrorCode err = U_ZERO_ERROR;
  // zh has no rules of its own: ICU answers with the root rules (U_USING_DEFAULT_WARNING, not
  // a failure), whose Han runs go through the CJK dictionary.
  impl_->words.reset(icu::BreakIterator::createWordInstance(icu::Locale("zh"), err));
  if (U_FAILURE(err)) impl_->words.reset();
}

WordSegmenter::~WordSegmenter() = default;

bool WordSegmenter::ok() const { return impl_->words != nullptr; }

std::vector<std::string> WordSegmenter::Segment(std::string_view utf8) {
  std::vector<std::string> tokens;
  if (!ok()) return tokens;
  const icu::UnicodeString text = FromUtf8(utf8);
  icu::BreakIterator& it = *impl_->words;
  it.setText(text);
  int32_t start = it.first();
  for (int32_t end = it.next(); end != icu::BreakIterator::DONE; start = end, end = it.next()) {
    // The status of the rule that ended this span: below UBRK_WORD_NONE_LIMIT it is spaces or
    // punctuation.
    if (it.getRuleStatus() < UBRK_WORD_NONE_LIMIT) continue;
    tokens.push_back(Fold(text.tempSubStringBetween(start, end)));
  }
  return tokens;
}

StopWords ParseStopWords(std::string_view text) {
  StopWords stop;
  while (!text.empty()) {
    const size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    if (const size_t hash = line.find('#'); hash != std::string_view::npos) {
      line = line.substr(0, hash);
    }
    line = Trim(line);
    if (line.size() >= 3 && line.substr(0, 3) == "\xEF\xBB\xBF") line = Trim(line.substr(3));
    if (!line.empty()) stop.insert(Fold(FromUtf8(line)));
  }
  return stop;
}

bool CountedWord(std::string_view token, const StopWords& stop) {
  if (stop.count(std::string(token))) return false;
  const icu::UnicodeString s = FromUtf8(token);
  if (s.countChar32() < 2) return false;
  for (int32_t i = 0; i < s.length(); i = s.moveIndex32(i, 1)) {
    if (u_hasBinaryProperty(s.char32At(i), UCHAR_ALPHABETIC)) return true;
  }
  return false;
}

std::vector<WordCount> CountWords(const std::vector<std::vector<std::string>>& docs,
                                  const StopWords& stop, size_t limit, size_t examples) {
  std::unordered_map<std::string, WordCount> counts;
  std::unordered_map<std::string, bool> counted;  // CountedWord, once per distinct token
  for (size_t d = 0; d < docs.size(); ++d) {
    std::unordered_map<std::string_view, bool> seen;
    for (const std::string& token : docs[d]) {
      auto [c, fresh] = counted.try_emplace(token, false);
      if (fresh) c->second = CountedWord(token, stop);
      if (!c->second) continue;
      WordCount& w = counts[token];
      ++w.occurrences;
      if (!seen.try_emplace(token, true).second) continue;
      ++w.documents;
      if (w.examples.size() < examples) w.examples.push_back(d);
    }
  }
  std::vector<WordCount> out;
  out.reserve(counts.size());
  for (auto& [word, c] : counts) {
    c.word = word;
    out.push_back(std::move(c));
  }
  std::sort(out.begin(), out.end(), [](const WordCount& a, const WordCount& b) {
    if (a.documents != b.documents) return a.documents > b.documents;
    if (a.occurrences != b.occurrences) return a.occurrences > b.occurrences;
    return a.word < b.word;
  });
  if (out.size() > limit) out.resize(limit);
  return out;
}

}  // namespace govqm
