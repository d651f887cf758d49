// Google Benchmark: what `guestaddr assign` costs in-process, against the
// floor of parsing and serialising the same XML with pugixml alone.
#include <string>

#include <benchmark/benchmark.h>
#include <pugixml.hpp>

#include "guest_generator.hpp"
#include "guestaddr/abi.hpp"
#include "guestaddr/guestaddr.hpp"
#include "guestaddr/hotplug.hpp"
#include "machine/machine.hpp"
#include "model/domain.hpp"
#include "views/topology_tree.hpp"
#include "xml/input_checks.hpp"

namespace {

using guestaddr::bench::Machine;
using guestaddr::bench::Shape;

// The rules the benchmarks measure: libvirt 9.0 with QEMU 7.2 unless named.
guestaddr::AssignOptions rules(const char* libvirt = "9.0") {
    guestaddr::AssignOptions options;
    options.libvirt = libvirt;
    options.qemu = std::string_view(libvirt) == "9.0" ? "7.2" : "10.0";
    return options;
}

// The whole of `guestaddr assign` minus the file and process: text in, text out.
void assign_text(benchmark::State& state, Machine machine, Shape shape = Shape::Channels, const char* libvirt = "9.0") {
    const std::string xml = guestaddr::bench::make_guest(static_cast<std::size_t>(state.range(0)), machine, shape);
    for (auto _ : state) {
        auto parsed = guestaddr::parse(xml);
        auto assigned = guestaddr::assign(std::move(*parsed), rules(libvirt));
        if (!assigned) {
            state.SkipWithError(assigned.errors().front().to_string().c_str());
            return;
        }
        std::string out = guestaddr::format(*assigned);
        benchmark::DoNotOptimize(out);
    }
    state.SetComplexityN(state.range(0));
    state.counters["devices"] = static_cast<double>(state.range(0));
}

// `guestaddr tree` minus the file and process: text in, the tree's text out
// (parse, assign, build the tree, write it).
void tree_text(benchmark::State& state, Machine machine) {
    const std::string xml = guestaddr::bench::make_guest(static_cast<std::size_t>(state.range(0)), machine);
    for (auto _ : state) {
        auto parsed = guestaddr::parse(xml);
        const std::vector<bool> written = guestaddr::views::written_addresses(parsed->domain());
        auto assigned = guestaddr::assign(std::move(*parsed), rules());
        if (!assigned) {
            state.SkipWithError(assigned.errors().front().to_string().c_str());
            return;
        }
        const guestaddr::model::Domain& domain = assigned->domain();
        const auto tree = guestaddr::views::build_tree(
            domain, written, guestaddr::machine::resolve_machine(domain.arch, domain.machine));
        std::string out = guestaddr::views::tree_text(tree);
        benchmark::DoNotOptimize(out);
    }
}

// Parsing alone, to tell the model's cost from the assigners'.
void parse_text(benchmark::State& state, Machine machine, Shape shape = Shape::Channels) {
    const std::string xml = guestaddr::bench::make_guest(static_cast<std::size_t>(state.range(0)), machine, shape);
    for (auto _ : state) {
        auto parsed = guestaddr::parse(xml);
        benchmark::DoNotOptimize(parsed);
    }
}

// The well-formedness pass alone, which parse runs before pugixml: what
// refusing every document that is not XML 1.0 costs.
void check_text(benchmark::State& state, Machine machine) {
    const std::string xml = guestaddr::bench::make_guest(static_cast<std::size_t>(state.range(0)), machine);
    for (auto _ : state) guestaddr::xml::check_text(xml);
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * xml.size()));
}

// The floor: pugixml parse and serialise, with guestaddr's output flags.
void xml_floor(benchmark::State& state, Machine machine, Shape shape = Shape::Channels) {
    const std::string xml = guestaddr::bench::make_guest(static_cast<std::size_t>(state.range(0)), machine, shape);
    for (auto _ : state) {
        pugi::xml_document doc;
        doc.load_buffer(xml.data(), xml.size(), pugi::parse_default);
        struct Sink : pugi::xml_writer {
            std::string text;
            void write(const void* data, size_t size) override { text.append(static_cast<const char*>(data), size); }
        } sink;
        doc.save(sink, "  ", pugi::format_indent | pugi::format_attribute_single_quote | pugi::format_no_declaration);
        benchmark::DoNotOptimize(sink.text);
    }
}

// One device attached (cold) to an addressed guest: the cost of
// `guestaddr attach` on a large definition, minus the file.
void attach_one(benchmark::State& state, Machine machine) {
    const std::string xml = guestaddr::bench::make_guest(static_cast<std::size_t>(state.range(0)), machine);
    const std::string addressed = guestaddr::format(*guestaddr::assign(std::move(*guestaddr::parse(xml)), rules()));
    const std::string nic =
        "<interface type='network'><mac address='52:54:00:fe:dc:ba'/><source network='default'/>"
        "<model type='e1000'/></interface>";
    for (auto _ : state) {
        auto attached = guestaddr::attach(std::move(*guestaddr::parse(addressed)), nic, guestaddr::Plug::Cold);
        if (!attached) {
            state.SkipWithError(attached.errors().front().to_string().c_str());
            return;
        }
        std::string out = guestaddr::format(attached->definition);
        benchmark::DoNotOptimize(out);
    }
}

// `guestaddr check-abi` minus the files: a migration's two definitions, the
// running guest's (addressed) and the same one offered again, both read,
// assigned and compared.
void check_abi(benchmark::State& state, Machine machine) {
    const std::string xml = guestaddr::bench::make_guest(static_cast<std::size_t>(state.range(0)), machine);
    const std::string addressed = guestaddr::format(*guestaddr::assign(std::move(*guestaddr::parse(xml)), rules()));
    for (auto _ : state) {
        auto differences = guestaddr::check_abi(std::move(*guestaddr::parse(addressed)),
                                                std::move(*guestaddr::parse(addressed)));
        if (!differences || !differences->empty()) {
            state.SkipWithError("the same definition is not compatible with itself");
            return;
        }
        benchmark::DoNotOptimize(differences);
    }
    state.counters["devices"] = static_cast<double>(state.range(0));
}

void sizes(benchmark::internal::Benchmark* b) {
    for (int n : {10, 100, 1000, 10000, 30000}) b->Arg(n);
    b->Unit(benchmark::kMillisecond);
}

}  // namespace

BENCHMARK_CAPTURE(assign_text, pc, Machine::Pc)->Apply(sizes);
BENCHMARK_CAPTURE(assign_text, q35, Machine::Q35)->Apply(sizes);
BENCHMARK_CAPTURE(tree_text, pc, Machine::Pc)->Apply(sizes);
BENCHMARK_CAPTURE(tree_text, q35, Machine::Q35)->Apply(sizes);
BENCHMARK_CAPTURE(parse_text, pc, Machine::Pc)->Apply(sizes);
BENCHMARK_CAPTURE(parse_text, q35, Machine::Q35)->Apply(sizes);
BENCHMARK_CAPTURE(check_text, pc, Machine::Pc)->Apply(sizes);
BENCHMARK_CAPTURE(xml_floor, pc, Machine::Pc)->Apply(sizes);
BENCHMARK_CAPTURE(xml_floor, q35, Machine::Q35)->Apply(sizes);
BENCHMARK_CAPTURE(check_abi, pc, Machine::Pc)->Apply(sizes);
BENCHMARK_CAPTURE(check_abi, q35, Machine::Q35)->Apply(sizes);
// Many controllers: SCSI disks 7 to a controller, channels 30 to one.
BENCHMARK_CAPTURE(assign_text, pc_controllers, Machine::Pc, Shape::Controllers)->Apply(sizes);
BENCHMARK_CAPTURE(assign_text, q35_controllers, Machine::Q35, Shape::Controllers)->Apply(sizes);
// Controllers assign adds itself, under the rules where each joins its type
// in the list (libvirt 11.3): entering one costs no scan of the list.
BENCHMARK_CAPTURE(assign_text, pc_implicit_controllers_11_3, Machine::Pc, Shape::ImplicitControllers, "11.3")
    ->Apply(sizes);
BENCHMARK_CAPTURE(assign_text, q35_implicit_controllers_11_3, Machine::Q35, Shape::ImplicitControllers, "11.3")
    ->Apply(sizes);
BENCHMARK_CAPTURE(assign_text, q35_implicit_controllers, Machine::Q35, Shape::ImplicitControllers)->Apply(sizes);
BENCHMARK_CAPTURE(xml_floor, pc_controllers, Machine::Pc, Shape::Controllers)->Apply(sizes);
BENCHMARK_CAPTURE(xml_floor, q35_controllers, Machine::Q35, Shape::Controllers)->Apply(sizes);
BENCHMARK_CAPTURE(attach_one, pc, Machine::Pc)->Arg(10000)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(attach_one, q35, Machine::Q35)->Arg(10000)->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
