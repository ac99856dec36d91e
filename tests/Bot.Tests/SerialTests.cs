namespace BotEngine.Bot.Tests;

/// <summary>
/// Tests that must not share the machine with others: two nodes or a killed node, a browser, or figures and deadlines
/// that depend on the two cores being free. xunit runs this collection on its own after the parallel ones.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialTests
{
    public const string Name = "Serial";
}
