namespace BotEngine.KnowledgeBase;

[System.Text.Json.Serialization.JsonConverter(typeof(CamelCaseEnumConverter<SlotType>))]
public enum SlotType
{
    Text,
    Integer,
    Dictionary,
    Phone,
    /// <summary>The value is the part of the text the pattern extracts; no match is an invalid answer.</summary>
    RegexExtract,
    /// <summary>The value is "true" or "false": whether the text matches the pattern. Every answer is valid.</summary>
    RegexMatch,
}
