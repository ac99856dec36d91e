namespace BotEngine.KnowledgeBase;

[System.Text.Json.Serialization.JsonConverter(typeof(CamelCaseEnumConverter<MessagePolicy>))]
public enum MessagePolicy
{
    /// <summary>Every answer whose conditions hold, in order.</summary>
    All,
    /// <summary>The first answer whose conditions hold.</summary>
    First,
    /// <summary>One random answer among those whose conditions hold.</summary>
    Random,
}
