using System.CommandLine;
using Vats.Cli.Commands;

namespace Vats.Cli;

internal static class Program
{
    private static int Main(string[] args)
    {
        var root = new RootCommand("vats: deterministic JavaScript vat worker tools");
        root.Subcommands.Add(WasmCommands.Create());
        return root.Parse(args).Invoke();
    }
}
