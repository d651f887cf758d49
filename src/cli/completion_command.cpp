// guestaddr completion bash: the shell completion script, made from the
// command's own definition of its subcommands and options (the CLI::App
// every other subcommand adds itself to), so that it cannot fall behind.
// The build installs its output; `source <(guestaddr completion bash)` works too.
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "cli/commands.hpp"

namespace guestaddr::cli {
namespace {

// An IsMember check's choices ("{text,dot,svg}" -> "text dot svg"), or "".
std::string choices(CLI::Option& option) {
    CLI::Validator* check = nullptr;
    try {
        check = option.get_validator(0);
    } catch (const CLI::OptionNotFound&) {  // it has no check
        return "";
    }
    if (check == nullptr) return "";
    std::string text = check->get_description();
    if (text.size() < 2 || text.front() != '{' || text.back() != '}') return "";
    text = text.substr(1, text.size() - 2);
    for (char& c : text)
        if (c == ',') c = ' ';
    return text;
}

std::string names(const CLI::Option& option) {
    std::string out;
    for (const std::string& s : option.get_snames()) out += " -" + s;
    for (const std::string& l : option.get_lnames()) out += " --" + l;
    return out;
}

// An option's names as a bash pattern ("-o|--output").
std::string pattern(const CLI::Option& option) {
    std::string arm = names(option).substr(1);
    for (char& c : arm)
        if (c == ' ') c = '|';
    return arm;
}

bool takes_value(const CLI::Option& option) {
    return option.nonpositional() && option.get_type_size_max() > 0 && option.get_expected_max() > 0;
}

// The options of a subcommand that take a value, as one pattern: their
// values are not positionals.
std::string valued_options(CLI::App& sub) {
    std::string out;
    for (CLI::Option* option : sub.get_options())
        if (takes_value(*option)) out += (out.empty() ? "" : "|") + pattern(*option);
    return out;
}

// One `case` arm per subcommand: its options, what follows an option that
// takes a value (its choices, or a file), what its positionals may be.
void subcommand_arm(CLI::App& sub, std::ostream& out) {
    std::string options = " --version";
    std::string value_arms;
    std::string positional_words;
    for (CLI::Option* option : sub.get_options()) {
        if (option->nonpositional()) {
            options += names(*option);
            if (takes_value(*option)) {
                // Its choices, a file for text, nothing to offer for a number.
                const std::string words = choices(*option);
                const bool text = option->get_type_name().starts_with("TEXT");
                value_arms += "                " + pattern(*option) + ") " +
                              (!words.empty() ? "COMPREPLY=($(compgen -W '" + words + "' -- \"$cur\"))"
                               : text         ? std::string("COMPREPLY=($(compgen -f -- \"$cur\"))")
                                              : std::string("COMPREPLY=()")) +
                              "; return ;;\n";
            }
        } else if (option->get_positional()) {
            const std::string words = choices(*option);
            if (!words.empty()) positional_words += (positional_words.empty() ? "" : " ") + words;
        }
    }
    out << "        " << sub.get_name() << ")\n"
        << "            opts='" << options.substr(1) << "'\n";
    out << "            words='" << positional_words << "'\n";
    if (!value_arms.empty()) out << "            case $prev in\n" << value_arms << "            esac\n";
    // A subcommand with --names lists what its second positional may be.
    if (sub.get_option_no_throw("--names") != nullptr)
        out << "            _guestaddr_names " << sub.get_name() << " '" << valued_options(sub) << "' && return\n";
    out << "            ;;\n";
}

// When the word being completed is SUB's second positional: the names
// `guestaddr SUB DOMAIN --names` gives. The words are taken from the line,
// not COMP_WORDS, which bash also splits at the ':' of MACs and addresses;
// what is offered is what follows the word's last ':', the part bash
// replaces.
constexpr const char* kNamesFunction = R"(_guestaddr_names() {
    local sub=$1 valued=$2 line=${COMP_LINE:0:COMP_POINT}
    local -a parts
    read -ra parts <<< "$line"
    [[ -z $line || $line == *[[:space:]] ]] && parts+=("")
    local word=${parts[${#parts[@]}-1]} domain= positionals=0 after= i
    [[ $word == -* ]] && return 1
    for (( i = 1; i < ${#parts[@]} - 1; i++ )); do
        local w=${parts[i]}
        if [[ -z $after ]]; then
            [[ $w == "$sub" ]] && after=1
            continue
        fi
        if [[ $w == -* ]]; then
            [[ $w != *=* && "|$valued|" == *"|$w|"* ]] && i=$((i + 1))
            continue
        fi
        positionals=$((positionals + 1))
        [[ $positionals == 1 ]] && domain=$w
    done
    [[ $positionals == 1 && -f ${domain/#\~/$HOME} ]] || return 1
    local names
    names=$("${COMP_WORDS[0]}" "$sub" "${domain/#\~/$HOME}" --names 2>/dev/null | cut -f1) || return 1
    COMPREPLY=($(compgen -W "$names" -- "$word"))
    local colon=${word%"${word##*:}"}
    [[ -n $colon ]] && COMPREPLY=("${COMPREPLY[@]#"$colon"}")
    return 0
}
)";

int run_completion(CLI::App& app, const std::string& shell) {
    (void)shell;  // bash is the one shell so far (the option's check)
    std::string subcommands;
    for (CLI::App* sub : app.get_subcommands([](CLI::App* s) { return !s->get_name().empty(); }))
        subcommands += (subcommands.empty() ? "" : " ") + sub->get_name();
    std::string top_options;
    for (CLI::Option* option : app.get_options())
        if (option->nonpositional()) top_options += names(*option);

    std::ostream& out = std::cout;
    out << "# bash completion for guestaddr (made by `guestaddr completion bash` from its own\n"
           "# definition of subcommands and options: regenerate, do not edit)\n"
           "_guestaddr() {\n"
           "    local cur=${COMP_WORDS[COMP_CWORD]} prev=\n"
           "    (( COMP_CWORD > 0 )) && prev=${COMP_WORDS[COMP_CWORD-1]}\n"
           "    local sub= i\n"
           "    for (( i = 1; i < COMP_CWORD; i++ )); do\n"
           "        case ${COMP_WORDS[i]} in\n"
           "            " << [&] {
               std::string alternatives = subcommands;
               for (char& c : alternatives)
                   if (c == ' ') c = '|';
               return alternatives;
           }() << ") sub=${COMP_WORDS[i]}; break ;;\n"
           "        esac\n"
           "    done\n"
           "    local opts='" << top_options.substr(top_options.empty() ? 0 : 1) << "' words='" << subcommands << "'\n"
           "    case $sub in\n";
    for (CLI::App* sub : app.get_subcommands([](CLI::App* s) { return !s->get_name().empty(); }))
        subcommand_arm(*sub, out);
    out << "    esac\n"
           "    if [[ $cur == -* ]]; then\n"
           "        COMPREPLY=($(compgen -W \"$opts\" -- \"$cur\"))\n"
           "    elif [[ -n $words ]]; then\n"
           "        COMPREPLY=($(compgen -W \"$words\" -- \"$cur\"))\n"
           "    else\n"
           "        COMPREPLY=($(compgen -f -- \"$cur\"))\n"
           "    fi\n"
           "}\n"
        << kNamesFunction << "complete -o filenames -F _guestaddr guestaddr\n";
    return kSuccess;
}

}  // namespace

Runner add_completion_command(CLI::App& app) {
    auto shell = std::make_shared<std::string>();
    CLI::App* cmd = app.add_subcommand("completion", "print the shell completion script (bash) for guestaddr");
    cmd->add_option("SHELL", *shell, "the shell: bash")->required()->check(CLI::IsMember({"bash"}));
    return [cmd, shell, &app] { return cmd->parsed() ? run_completion(app, *shell) : -1; };
}

}  // namespace guestaddr::cli
