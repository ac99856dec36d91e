using BotEngine.Engine.Clients;
using BotEngine.Storage;

namespace BotEngine.Bot.Api;

/// <summary>The client card: profile, channel accounts (with the conversation a reply would go to) and dialogs.</summary>
public sealed record ClientProfileCardDto(ClientProfile Profile, IReadOnlyList<ClientAccountDto> Accounts, IReadOnlyList<ClientDialogDto> Dialogs)
{
    public static ClientProfileCardDto From(ClientCard card) => new(
        card.Profile,
        card.Accounts.Select(a => new ClientAccountDto(a.Channel, a.ChannelType ?? a.Channel, a.AccountId, a.DisplayName, a.ConversationId, TimeExtensions.FromMicros(a.CreatedAt))).ToList(),
        card.Dialogs.Select(d => new ClientDialogDto(d.Id, d.Channel, d.ConversationId, d.State, d.OperatorId, TimeExtensions.FromMicros(d.OpenedAt),
            d.ClosedAt is { } closed ? TimeExtensions.FromMicros(closed) : null, d.CloseTopic, d.Rating is { } r ? (int)r : null, d.RatingComment)).ToList());
}
