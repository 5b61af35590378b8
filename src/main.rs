fn main() {
    std::process::exit(tradeoff::cli::main());
}
