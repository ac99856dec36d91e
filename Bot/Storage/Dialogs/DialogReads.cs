using System.Data.Common;
using BotEngine.Conversations;
using Dapper;

namespace BotEngine.Storage.Dialogs;

/// <summary>The dialog row by id: the one query every area that needs a whole dialog shares.</summary>
public static class DialogReads
{
    public static Task<StoredDialog?> FindAsync(DbConnection c, string dialogId, DbTransaction? t = null) =>
        c.QuerySingleOrDefaultAsync<StoredDialog>("SELECT * FROM dialogs WHERE id = @dialogId", new { dialogId }, t);
}
