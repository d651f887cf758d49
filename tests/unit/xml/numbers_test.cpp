#include "xml/numbers.hpp"

#include <gtest/gtest.h>

namespace guestaddr::xml {
namespace {

TEST(ParseUnsigned, AutoReadsDecimalHexAndOctalLikeC) {
    EXPECT_EQ(parse_unsigned("31", Radix::Auto), 31u);
    EXPECT_EQ(parse_unsigned("0x1f", Radix::Auto), 31u);
    EXPECT_EQ(parse_unsigned("0X1F", Radix::Auto), 31u);
    EXPECT_EQ(parse_unsigned("010", Radix::Auto), 8u);
    EXPECT_EQ(parse_unsigned("0", Radix::Auto), 0u);
}

TEST(ParseUnsigned, RejectsMalformedNumbers) {
    for (const char* text : {"", "0x", "abc", "-1", "1.5", " 1", "08", "99999999999999999999"})
        EXPECT_FALSE(parse_unsigned(text, Radix::Auto)) << text;
}

TEST(ParseUnsigned, DecimalIgnoresLeadingZerosAndRejectsHex) {
    EXPECT_EQ(parse_unsigned("010", Radix::Decimal), 10u);
    EXPECT_FALSE(parse_unsigned("0x10", Radix::Decimal));
}

TEST(ParseUnsigned, HexTakesAnOptionalPrefix) {
    EXPECT_EQ(parse_unsigned("0x2000", Radix::Hex), 0x2000u);
    EXPECT_EQ(parse_unsigned("2000", Radix::Hex), 0x2000u);
}

}  // namespace
}  // namespace guestaddr::xml
