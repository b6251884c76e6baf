namespace AutomotiveCrm.Domain.Dedup.Matching;

/// <summary>
/// One customer as the matcher reads it: the raw values, before normalisation. The loader fills one instance after
/// another (it may reuse the same instance): <see cref="MatchStore.Add"/> copies what it needs.
/// </summary>
public sealed class MatchRecord
{
    public long Id { get; set; }
    /// <summary>The dealer group that owns the retail record: retail matching stays within it.</summary>
    public long GroupId { get; set; }
    public int Version { get; set; }
    public string? FirstName { get; set; }
    public string? LastName { get; set; }
    public DateOnly? DateOfBirth { get; set; }
    public string? Line1 { get; set; }
    public string? Line2 { get; set; }
    public string? City { get; set; }
    public string? Region { get; set; }
    public string? Postcode { get; set; }
    /// <summary>ISO 3166-1 alpha-2 of the address; also the region phone numbers are read in.</summary>
    public string? CountryCode { get; set; }
    public string? Email { get; set; }
    public string? Email2 { get; set; }
    public string? Phone { get; set; }
    public string? Phone2 { get; set; }

    public void Clear()
    {
        Id = 0;
        GroupId = 0;
        Version = 0;
        FirstName = LastName = Line1 = Line2 = City = Region = Postcode = CountryCode = Email = Email2 = Phone = Phone2 = null;
        DateOfBirth = null;
    }
}
