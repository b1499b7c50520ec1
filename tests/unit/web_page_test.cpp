// The page of `foci web` put together from its parts: base64 of typed arrays as browsers read
// them, and inlined text that can never close its <script> element.
#include <gtest/gtest.h>

#include "core/error.hpp"
#include "web/page.hpp"

namespace foci {
namespace {

WebAssets assets(const std::string& html) {
  WebAssets a;
  a.html_template = html;
  a.style = "body{}";
  a.niivue = "var niivue = {}; // '</script>' in a string";
  a.script = "run();";
  return a;
}

TEST(WebPageAssembly, Base64MatchesTheStandardAlphabetAndPadding) {
  const std::string text = "foobar";
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  EXPECT_EQ(base64(bytes, 6), "Zm9vYmFy");
  EXPECT_EQ(base64(bytes, 5), "Zm9vYmE=");
  EXPECT_EQ(base64(bytes, 4), "Zm9vYg==");
  EXPECT_EQ(base64(bytes, 3), "Zm9v");
  EXPECT_EQ(base64(bytes, 0), "");
}

TEST(WebPageAssembly, ArraysAreLittleEndianWhateverTheMachine) {
  // int16 -2 is FE FF; uint16 258 is 02 01; uint32 1 is 01 00 00 00.
  EXPECT_EQ(base64_of(std::vector<std::int16_t>{-2}),
            base64(std::vector<unsigned char>{0xFE, 0xFF}.data(), 2));
  EXPECT_EQ(base64_of(std::vector<std::uint16_t>{258}),
            base64(std::vector<unsigned char>{0x02, 0x01}.data(), 2));
  EXPECT_EQ(base64_of(std::vector<std::uint32_t>{1}),
            base64(std::vector<unsigned char>{0x01, 0x00, 0x00, 0x00}.data(), 4));
  // float32 1.0 is 00 00 80 3F, -3.0 is 00 00 40 C0 (overlay values); bytes as they are.
  EXPECT_EQ(
      base64_of(std::vector<float>{1.0f, -3.0f}),
      base64(std::vector<unsigned char>{0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x40, 0xC0}.data(), 8));
  EXPECT_EQ(base64_of(std::vector<std::uint8_t>{255, 0, 7}), "/wAH");
}

TEST(WebPageAssembly, InlinedTextCannotCloseItsScriptAndTheTitleIsEscaped) {
  const std::string page = web_page_html(
      "A <b> & \"c\"", {{"name", "</script><script>alert(1)"}},
      assets("<title>{{TITLE}}</title><style>{{STYLE}}</style><script>{{NIIVUE}}</script>"
             "<script type=\"application/json\">{{DATA}}</script><script>{{SCRIPT}}</script>"));
  EXPECT_NE(page.find("<title>A &lt;b&gt; &amp; &quot;c&quot;</title>"), std::string::npos);
  EXPECT_NE(page.find("\"name\":\"<\\/script><script>alert(1)\""), std::string::npos) << page;
  EXPECT_NE(page.find("'<\\/script>' in a string"), std::string::npos);
  // Three script elements, three closing tags: nothing inlined closed one early.
  std::size_t closes = 0;
  for (auto at = page.find("</script>"); at != std::string::npos;
       at = page.find("</script>", at + 1)) {
    ++closes;
  }
  EXPECT_EQ(closes, 3u);
}

TEST(WebPageAssembly, ATemplateWithoutItsMarkersIsRefused) {
  try {
    web_page_html("t", nlohmann::json::object(), assets("<title>{{TITLE}}</title>"));
    FAIL() << "accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ExitCode::input);
    EXPECT_EQ(e.lines().back(), "the page template has no {{STYLE}} marker after the previous one");
  }
}

}  // namespace
}  // namespace foci
