using BotEngine.Bot;
using BotEngine.Bot.Cli;

if (args.Length > 0 && args[0] == "nlu")
    return await NluCommandLine.RunAsync(args[1..], Console.In, Console.Out, Console.Error, CancellationToken.None);

var app = BotApp.Build(args);
await app.RunAsync();
return 0;

/// <summary>Entry point type, visible to tests.</summary>
public partial class Program;
