using AutomotiveCrm.Domain.Common;

namespace AutomotiveCrm.Domain.Consents;

/// <summary>The current answer for one (channel, purpose, brand-or-dealer) and the record that gave it.</summary>
public sealed record CurrentConsent(
    ConsentChannel Channel,
    ConsentPurpose Purpose,
    long? BrandId,
    long? DealerId,
    ConsentStatus Status,
    DateTime RecordedAt,
    ConsentSource Source,
    long RecordId);

/// <summary>Derives current consent from the append-only history.</summary>
public static class ConsentState
{
    /// <summary>
    /// The latest statement per (channel, purpose, scope) wins. Two statements at the same instant are ordered by
    /// record id, and if that cannot decide (unsaved records) an opt-out wins: doubt never becomes permission.
    /// </summary>
    public static IReadOnlyList<CurrentConsent> Current(IEnumerable<ConsentRecord> history) =>
        history
            .GroupBy(r => (r.Channel, r.Purpose, r.BrandId, r.DealerId))
            .Select(g => g
                .OrderByDescending(r => r.RecordedAt)
                .ThenByDescending(r => r.Id)
                .ThenByDescending(r => r.Status == ConsentStatus.OptOut)
                .First())
            .Select(r => new CurrentConsent(r.Channel, r.Purpose, r.BrandId, r.DealerId, r.Status, r.RecordedAt, r.Source, r.Id))
            .OrderBy(c => c.Channel).ThenBy(c => c.Purpose).ThenBy(c => c.BrandId).ThenBy(c => c.DealerId)
            .ToList();

    /// <summary>Whether the customer may be contacted on a channel for a purpose on behalf of a brand or a dealer.</summary>
    public static bool Allows(IEnumerable<ConsentRecord> history, ConsentChannel channel, ConsentPurpose purpose, long? brandId, long? dealerId)
    {
        var current = Current(history).FirstOrDefault(c =>
            c.Channel == channel && c.Purpose == purpose && c.BrandId == brandId && c.DealerId == dealerId);
        return current?.Status == ConsentStatus.OptIn;
    }

    /// <summary>Builds a validated record; the scope must be exactly one of brand and dealer.</summary>
    public static ConsentRecord Create(long customerId, ConsentChannel channel, ConsentPurpose purpose, long? brandId, long? dealerId,
        ConsentStatus status, DateTime recordedAt, ConsentSource source, string? evidence)
    {
        if ((brandId is null) == (dealerId is null))
        {
            throw new DomainException("A consent applies to exactly one brand or one dealer.");
        }

        return new ConsentRecord
        {
            CustomerId = customerId,
            Channel = channel,
            Purpose = purpose,
            BrandId = brandId,
            DealerId = dealerId,
            Status = status,
            RecordedAt = DateTime.SpecifyKind(recordedAt, DateTimeKind.Utc),
            Source = source,
            Evidence = Text.Clean(evidence),
        };
    }
}
