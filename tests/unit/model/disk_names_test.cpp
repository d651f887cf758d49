#include "model/disk_names.hpp"

#include <gtest/gtest.h>

namespace guestaddr::model {
namespace {

TEST(DiskNameIndex, LettersAreBijectiveBase26) {
    EXPECT_EQ(disk_name_index("vda"), 0u);
    EXPECT_EQ(disk_name_index("sdz"), 25u);
    EXPECT_EQ(disk_name_index("sdaa"), 26u);
    EXPECT_EQ(disk_name_index("hdaz"), 51u);
    EXPECT_EQ(disk_name_index("sdba"), 52u);
    EXPECT_EQ(disk_name_index("sdzz"), 701u);
    EXPECT_EQ(disk_name_index("sdaaa"), 702u);
}

TEST(DiskNameIndex, PartitionDigitsAreIgnored) { EXPECT_EQ(disk_name_index("xvdb3"), 1u); }

TEST(DiskNameIndex, UnknownNamesHaveNoIndex) {
    for (const char* name : {"", "vd", "xyz", "sd1", "sdA", "nvme0n1", "sda1b"})
        EXPECT_FALSE(disk_name_index(name)) << name;
}

}  // namespace
}  // namespace guestaddr::model
