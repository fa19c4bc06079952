// Words of bad-review comments (core/words.h) on real citizen messages: the subjects of 40
// messages to a provincial 问政 platform (tests/data/cn-zhengwu-liuyan). The expected counts
// were made by substring search over the file (see SOURCE.md), not by govqm: a word ICU
// segments as one word is counted in exactly the messages holding it.
#include "core/words.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <string>
#include <vector>

namespace govqm {
namespace {

std::vector<std::string> Subjects() {
  std::ifstream in(std::string(GOVQM_SOURCE_DIR) + "/tests/data/cn-zhengwu-liuyan/subjects.csv");
  std::vector<std::string> out;
  std::string line;
  std::getline(in, line);  // id,subject
  while (std::getline(in, line)) out.push_back(line.substr(line.find(',') + 1));
  return out;
}

const WordCount* Find(const std::vector<WordCount>& counts, const std::string& word) {
  for (const WordCount& c : counts) {
    if (c.word == word) return &c;
  }
  return nullptr;
}

TEST(WordSegmenter, RealMessagesAreCountedPerMessage) {
  const std::vector<std::string> subjects = Subjects();
  ASSERT_EQ(subjects.size(), 40u);
  WordSegmenter seg;
  ASSERT_TRUE(seg.ok());
  std::vector<std::vector<std::string>> docs;
  for (const std::string& s : subjects) docs.push_back(seg.Segment(s));
  const StopWords stop = ParseStopWords("问题\n咨询\n");
  const std::vector<WordCount> counts = CountWords(docs, stop, 1000, 3);
  // Substring search over the 40 subjects: 小区 in 6 (rows 5, 11, 15, 22, 25, 31), 地铁 in 3
  // (7, 9, 14) and 4 times (row 14 says it twice), 施工 in rows 4 and 9, 夜间 in 4 and 13,
  // 签证 and 垃圾 in 2 each. (ICU's dictionary has no 扰民: it gives 扰 and 民, single
  // characters, so that complaint is not counted — a limit of dictionary segmentation.)
  const WordCount* w = Find(counts, "施工");
  ASSERT_NE(w, nullptr);
  EXPECT_EQ(w->documents, 2);
  EXPECT_EQ(w->occurrences, 2);
  EXPECT_EQ(w->examples, (std::vector<size_t>{4, 9}));
  w = Find(counts, "夜间");
  ASSERT_NE(w, nullptr);
  EXPECT_EQ(w->examples, (std::vector<size_t>{4, 13}));
  w = Find(counts, "小区");
  ASSERT_NE(w, nullptr);
  EXPECT_EQ(w->documents, 6);
  EXPECT_EQ(w->examples, (std::vector<size_t>{5, 11, 15}));
  w = Find(counts, "地铁");
  ASSERT_NE(w, nullptr);
  EXPECT_EQ(w->documents, 3);
  EXPECT_EQ(w->occurrences, 4);
  EXPECT_EQ(w->examples, (std::vector<size_t>{7, 9, 14}));
  ASSERT_NE(Find(counts, "签证"), nullptr);
  EXPECT_EQ(Find(counts, "签证")->documents, 2);
  ASSERT_NE(Find(counts, "垃圾"), nullptr);
  EXPECT_EQ(Find(counts, "垃圾")->documents, 2);
  // Stop words (问题 is in 7 subjects, 咨询 in 4), single characters, numbers and punctuation
  // are not words.
  EXPECT_EQ(Find(counts, "问题"), nullptr);
  EXPECT_EQ(Find(counts, "咨询"), nullptr);
  for (const WordCount& c : counts) {
    EXPECT_TRUE(CountedWord(c.word, stop)) << c.word;
    EXPECT_NE(c.word, "？");
    EXPECT_NE(c.word, "6");
  }
  // Ordered by messages, then occurrences, then bytes.
  for (size_t k = 1; k < counts.size(); ++k) {
    const WordCount& a = counts[k - 1];
    const WordCount& b = counts[k];
    EXPECT_TRUE(a.documents > b.documents ||
                (a.documents == b.documents &&
                 (a.occurrences > b.occurrences ||
                  (a.occurrences == b.occurrences && a.word < b.word))))
        << a.word << " before " << b.word;
  }
  // The limit keeps the most frequent.
  const std::vector<WordCount> top = CountWords(docs, stop, 3, 1);
  ASSERT_EQ(top.size(), 3u);
  EXPECT_EQ(top[0].word, counts[0].word);
  EXPECT_EQ(top[2].word, counts[2].word);
}

TEST(WordSegmenter, PunctuationSpacesAndBadBytesAreNotTokens) {
  WordSegmenter seg;
  ASSERT_TRUE(seg.ok());
  const std::vector<std::string> t = seg.Segment("排队，  排队！！ App ＡＰＰ");
  // Two 排队 and two app (the full-width one NFKC case-folded): no punctuation or spaces.
  EXPECT_EQ(std::count(t.begin(), t.end(), "排队"), 2);
  EXPECT_EQ(std::count(t.begin(), t.end(), "app"), 2);
  for (const std::string& s : t) {
    EXPECT_EQ(s.find_first_of(" ，！"), std::string::npos) << s;
  }
  EXPECT_TRUE(seg.Segment("").empty());
  // Invalid UTF-8 does not stop the text around it.
  const std::vector<std::string> bad = seg.Segment("排队\xff太久");
  EXPECT_NE(std::find(bad.begin(), bad.end(), "排队"), bad.end());
}

TEST(StopWordList, CommentsBlankLinesAndFolding) {
  const StopWords stop = ParseStopWords("# a comment\n\n  我们  \n问题 # generic\nＡＰＰ\n");
  EXPECT_EQ(stop.size(), 3u);
  EXPECT_TRUE(stop.count("我们"));
  EXPECT_TRUE(stop.count("问题"));
  EXPECT_TRUE(stop.count("app"));
  EXPECT_FALSE(CountedWord("我们", stop));
  EXPECT_FALSE(CountedWord("app", stop));
  EXPECT_TRUE(CountedWord("排队", stop));
  EXPECT_FALSE(CountedWord("队", stop));           // one character
  EXPECT_FALSE(CountedWord("13912345678", stop));  // no letter
  EXPECT_FALSE(CountedWord("2019", stop));
  EXPECT_TRUE(CountedWord("a3", stop));  // a letter and a digit: a word (the masked "A3区")
}

TEST(StopWordList, TheShippedListParses) {
  std::ifstream in(std::string(GOVQM_SOURCE_DIR) + "/config/diagnosis/stopwords-zh.txt");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const StopWords stop = ParseStopWords(text);
  EXPECT_GT(stop.size(), 80u);
  EXPECT_TRUE(stop.count("问题"));
  EXPECT_TRUE(stop.count("您好"));
  EXPECT_FALSE(stop.count("系统"));  // what went wrong is never a stop word
  EXPECT_FALSE(stop.count("排队"));
}

}  // namespace
}  // namespace govqm
