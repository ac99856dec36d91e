namespace BotEngine.KnowledgeBase;

[System.Text.Json.Serialization.JsonConverter(typeof(CamelCaseEnumConverter<OutOfHoursMode>))]
public enum OutOfHoursMode
{
    /// <summary>Send the notice and queue the dialog anyway.</summary>
    Queue,
    /// <summary>Send the notice and run the contact article; the result is a callback request, not a handoff.</summary>
    CollectContacts,
}
