#include "qmp/qmp_client.hpp"

#include <gtest/gtest.h>

#include "qmp/qemu_process.hpp"

namespace guestaddr::qmp {
namespace {

using testing::QemuProcess;
using namespace std::chrono_literals;

TEST(QmpClient, TalksToARealQemu) {
    auto qemu = QemuProcess::start({"-machine", "q35"});
    if (!qemu) GTEST_SKIP() << "qemu-system-x86_64 is not installed";
    QmpClient client = QmpClient::connect(qemu->qmp_socket(), 10s);
    Json status = client.execute("query-status");
    EXPECT_EQ(status.value("status", ""), "prelaunch");
    Json pci = client.execute("query-pci");
    ASSERT_TRUE(pci.is_array());
    EXPECT_FALSE(pci.empty());
}

TEST(QmpClient, RefusalCarriesQemusReason) {
    auto qemu = QemuProcess::start({"-machine", "pc"});
    if (!qemu) GTEST_SKIP() << "qemu-system-x86_64 is not installed";
    QmpClient client = QmpClient::connect(qemu->qmp_socket(), 10s);
    try {
        client.execute("device_add", Json{{"driver", "virtio-net-pci"}, {"id", "n0"}, {"bus", "nonexistent.0"}});
        FAIL() << "QEMU accepted a device on a bus that does not exist";
    } catch (const Failure& f) {
        EXPECT_NE(f.error().message.find("nonexistent.0"), std::string::npos) << f.error().message;
    }
}

TEST(QmpClient, WaitsForEvents) {
    auto qemu = QemuProcess::start({"-machine", "pc"});
    if (!qemu) GTEST_SKIP() << "qemu-system-x86_64 is not installed";
    QmpClient client = QmpClient::connect(qemu->qmp_socket(), 10s);
    client.execute("cont");
    Json resumed = client.wait_event("RESUME", nullptr, 5s);
    EXPECT_EQ(resumed.value("event", ""), "RESUME");
    client.execute("quit");
    EXPECT_EQ(qemu->wait(), 0);
}

TEST(QmpClient, NoQemuIsAnIoError) {
    try {
        QmpClient::connect("/nonexistent/qmp.sock", 100ms);
        FAIL();
    } catch (const Failure& f) {
        EXPECT_EQ(f.error().kind, ErrorKind::Io);
    }
}

}  // namespace
}  // namespace guestaddr::qmp
