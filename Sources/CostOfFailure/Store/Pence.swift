/// An amount of money in pence. Every sum in the engine is integer pence; no binary floating
/// point touches money from parse to output.
public typealias Pence = Int64
