namespace BotEngine.KnowledgeBase;

/// <summary>A piece of information a scenario collects. Values are kept per dialog in <see cref="DialogState.Slots"/>.</summary>
public sealed class SlotDefinition
{
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    /// <summary>Free grouping label for the editor (e.g. "client", "card").</summary>
    public string? Class { get; set; }
    public SlotType Type { get; set; } = SlotType.Text;
    public SlotKind Kind { get; set; } = SlotKind.Normal;
    /// <summary>Asked when the slot is empty. Required for normal slots.</summary>
    public SlotQuestion? Question { get; set; }
    /// <summary>Asked instead when the slot already holds a value: "is your card still the one ending {{card}}?".</summary>
    public SlotQuestion? FilledQuestion { get; set; }
    /// <summary>Sent with the question again after an invalid answer; a built-in hint per type when missing.</summary>
    public string? Hint { get; set; }
    /// <summary>Invalid answers in a row before the dialog goes to operators; the runner's default when missing.</summary>
    public int? MaxAttempts { get; set; }
    /// <summary>Options of a dictionary slot, offered as buttons; the stored value is the item id.</summary>
    public List<DictionaryItem> Items { get; set; } = [];
    /// <summary>Phone mask: '#' is a digit, e.g. "+7 (###) ###-##-##"; the value is stored as +7XXXXXXXXXX.</summary>
    public string? Mask { get; set; }
    /// <summary>Regular expression of regexExtract / regexMatch slots. Extract stores group "value", else group 1, else the match.</summary>
    public string? Pattern { get; set; }
    public long? Min { get; set; }
    public long? Max { get; set; }
}
