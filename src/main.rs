fn main() {
    std::process::exit(offboard::cli::main_with(std::env::args_os()));
}
