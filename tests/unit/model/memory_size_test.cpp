// Sizes as libvirt 9.0 reads them, measured with ../shared/tools/libvirt-assign:
// <maxMemory unit='KB'>1073742</maxMemory> is stored as 1048577 KiB,
// unit='b' 1073741823 as 1048576 KiB (rounded up to whole KiB).
#include <gtest/gtest.h>

#include "model/memory_size.hpp"

namespace guestaddr::model {
namespace {

TEST(MemorySize, KibIsTheDefaultUnit) {
    EXPECT_EQ(size_in_kib("1048576", ""), 1048576u);
    EXPECT_EQ(size_in_kib("1048576", "KiB"), 1048576u);
    EXPECT_EQ(size_in_kib("7", "k"), 7u);
}

TEST(MemorySize, BinaryUnitsArePowersOf1024) {
    EXPECT_EQ(size_in_kib("1", "M"), 1024u);
    EXPECT_EQ(size_in_kib("1", "MiB"), 1024u);
    EXPECT_EQ(size_in_kib("2", "GiB"), 2u * 1024 * 1024);
    EXPECT_EQ(size_in_kib("1", "TiB"), 1024ull * 1024 * 1024);
    EXPECT_EQ(size_in_kib("1", "E"), 1024ull * 1024 * 1024 * 1024 * 1024);
}

TEST(MemorySize, DecimalUnitsArePowersOf1000RoundedUpToKib) {
    EXPECT_EQ(size_in_kib("1073742", "KB"), 1048577u);
    EXPECT_EQ(size_in_kib("1073741", "KB"), 1048576u);
    EXPECT_EQ(size_in_kib("1", "GB"), 976563u);  // 10^9 bytes = 976562.5 KiB
}

TEST(MemorySize, BytesAreRoundedUpToKib) {
    EXPECT_EQ(size_in_kib("1073741823", "b"), 1048576u);
    EXPECT_EQ(size_in_kib("1073740800", "bytes"), 1048575u);
    EXPECT_EQ(size_in_kib("1", "b"), 1u);
    EXPECT_EQ(size_in_kib("0", "b"), 0u);
}

TEST(MemorySize, WhatIsNotASizeIsNone) {
    EXPECT_EQ(size_in_kib("", "KiB"), std::nullopt);
    EXPECT_EQ(size_in_kib("12x", "KiB"), std::nullopt);
    EXPECT_EQ(size_in_kib("-1", "KiB"), std::nullopt);
    EXPECT_EQ(size_in_kib("1", "furlongs"), std::nullopt);
    EXPECT_EQ(size_in_kib("18446744073709551615", "KiB"), std::nullopt);  // past 2^64 bytes
}

}  // namespace
}  // namespace guestaddr::model
