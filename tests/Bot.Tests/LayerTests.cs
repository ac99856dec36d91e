using System.Reflection;
using BotEngine.Conversations;
using BotEngine.Storage;
using Xunit;

namespace BotEngine.Bot.Tests;

/// <summary>
/// The layers as the compiled assemblies have them: what each one actually uses, not only what its project file lists.
/// Dependencies point inward: the host on the engine, the engine on storage and the domain, storage on the domain.
/// </summary>
public sealed class LayerTests
{
    private static readonly Assembly Conversations = typeof(ITurnStore).Assembly;
    private static readonly Assembly Storage = typeof(Database).Assembly;
    private static readonly Assembly Engine = typeof(Engine.Pipeline.TurnProcessor).Assembly;

    private static string[] ReferencesOf(Assembly assembly) =>
        [.. assembly.GetReferencedAssemblies().Select(a => a.Name!).Where(n => n.StartsWith("BotEngine.", StringComparison.Ordinal) || n.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal) || n is "Npgsql" or "Microsoft.Data.Sqlite" or "Dapper").Order()];

    [Fact]
    public void The_conversations_domain_uses_the_routing_core_alone_no_sql_and_no_web()
    {
        Assert.Equal(["BotEngine.Handoff"], ReferencesOf(Conversations));
    }

    [Fact]
    public void The_engine_reaches_its_turn_and_outbox_stores_through_the_domains_interfaces()
    {
        var turnProcessor = typeof(Engine.Pipeline.TurnProcessor).GetConstructors().Single().GetParameters().Select(p => p.ParameterType);
        var outbox = typeof(Engine.Pipeline.OutboxDispatcher).GetConstructors().Single().GetParameters().Select(p => p.ParameterType);
        Assert.Contains(typeof(ITurnStore), turnProcessor);
        Assert.Contains(typeof(IOutboxStore), outbox);
        Assert.DoesNotContain(ReferencesOf(Engine), n => n.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal) || n is "Npgsql" or "Microsoft.Data.Sqlite" or "Dapper");
    }

    [Fact]
    public void Storage_knows_neither_the_engine_nor_the_web()
    {
        Assert.DoesNotContain(ReferencesOf(Storage), n => n is "BotEngine.Engine" or "BotEngine.Http" or "BotEngine.Bot" || n.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
        Assert.Contains("BotEngine.Conversations", ReferencesOf(Storage));
    }

    [Theory]
    [InlineData(typeof(Nlu.IIntentClassifier))]
    [InlineData(typeof(KnowledgeBase.KbDocument))]
    [InlineData(typeof(Handoff.Dialog))]
    public void The_libraries_use_no_host_layer(Type libraryType)
    {
        Assert.DoesNotContain(ReferencesOf(libraryType.Assembly), n =>
            n is "BotEngine.Conversations" or "BotEngine.Storage" or "BotEngine.Engine" or "BotEngine.Http" or "BotEngine.Bot" or "Npgsql" or "Dapper"
            || n.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
    }
}
