namespace BotEngine.KnowledgeBase;

[System.Text.Json.Serialization.JsonConverter(typeof(CamelCaseEnumConverter<SlotKind>))]
public enum SlotKind
{
    /// <summary>Asked explicitly.</summary>
    Normal,
    /// <summary>Filled from what the client already wrote; never asked.</summary>
    Hidden,
}
