namespace BotEngine.KnowledgeBase;

[System.Text.Json.Serialization.JsonConverter(typeof(CamelCaseEnumConverter<AgentFallback>))]
public enum AgentFallback
{
    /// <summary>To the operators' queue (respecting business hours).</summary>
    Operator,
    /// <summary>Back to the bot, which answers the client's next message.</summary>
    Bot,
}
