// Words of free text, for diagnosis's pain points (service.md §9): Chinese (and any other
// script) segmented with ICU's word break iterator, then counted over many short texts with
// stop words and non-words left out. Pure: text in, tokens and counts out.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace govqm {

// ICU's word break iterator for locale zh (its rules, and its dictionary for Han text): a text
// becomes the spans the iterator calls words — rule status not UBRK_WORD_NONE (letters,
// numbers, ideographs, kana) — in order; spaces and punctuation are dropped. Each token is
// NFKC case-folded (ＡＰＰ, App and app are one word). Bytes that are not well-formed UTF-8
// become U+FFFD. Creating one is costly (the rules and the dictionary are loaded once per
// process, then cloned): make one and segment many texts with it. Not thread-safe: one per
// thread.
class WordSegmenter {
 public:
  WordSegmenter();
  ~WordSegmenter();
  WordSegmenter(const WordSegmenter&) = delete;
  WordSegmenter& operator=(const WordSegmenter&) = delete;

  // False when ICU could not make the iterator (its data missing); Segment then returns none.
  bool ok() const;
  std::vector<std::string> Segment(std::string_view utf8);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Stop words: one word per line; '#' starts a comment (to the end of the line); blank lines
// and white space around a word are ignored. Words are NFKC case-folded as tokens are.
using StopWords = std::unordered_set<std::string>;
StopWords ParseStopWords(std::string_view text);

// Whether a token is counted as a word: not a stop word, at least two characters (code
// points), and holding at least one letter or ideograph (Unicode Alphabetic), so numbers,
// "13912345678，2019" and punctuation are not.
bool CountedWord(std::string_view token, const StopWords& stop);

struct WordCount {
  std::string word;
  int64_t documents = 0;         // texts holding the word at least once
  int64_t occurrences = 0;       // times it occurs over all texts
  std::vector<size_t> examples;  // the first texts holding it (indexes into the input)
};

// The `limit` most frequent counted words of `docs` (docs[k]: the tokens of text k), by the
// number of texts holding them (a text repeating a word counts once), then occurrences, then
// the word's bytes; each with the indexes of the first `examples` texts holding it.
std::vector<WordCount> CountWords(const std::vector<std::vector<std::string>>& docs,
                                  const StopWords& stop, size_t limit, size_t examples);

}  // namespace govqm
