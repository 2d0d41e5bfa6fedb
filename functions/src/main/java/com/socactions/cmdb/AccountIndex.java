package com.socactions.cmdb;

import static com.socactions.cmdb.CsvColumns.text;

import com.socactions.cmdb.CsvColumns.RowProblem;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Accounts indexed for lookups in the forms an incident's Account entity gives them, built once per
 * load. All comparisons ignore case.
 *
 * <ul>
 *   <li>{@code alice.lee@contoso.com}: the UPN or the e-mail address; failing that, where the file
 *       has a {@code sam_account_name} column, {@code name@upnSuffix} (the sAMAccountName at the
 *       UPN's domain: {@code alee@contoso.com});
 *   <li>{@code CONTOSO\alee}: sAMAccountName in that NetBIOS domain (column {@code domain}); a row
 *       without a domain matches any, for single-domain forests;
 *   <li>{@code alee}: the sAMAccountName alone.
 * </ul>
 */
final class AccountIndex {
  static final String USER_PRINCIPAL_NAME = "user_principal_name";
  static final String EMAIL = "email";
  static final String SAM_ACCOUNT_NAME = "sam_account_name";
  static final String DOMAIN = "domain";
  static final String DISPLAY_NAME = "display_name";
  static final String DEPARTMENT = "department";
  static final String TITLE = "title";
  static final String MANAGER = "manager";
  static final String IS_VIP = "is_vip";
  static final Set<String> COLUMNS =
      Set.of(
          USER_PRINCIPAL_NAME,
          EMAIL,
          SAM_ACCOUNT_NAME,
          DOMAIN,
          DISPLAY_NAME,
          DEPARTMENT,
          TITLE,
          MANAGER,
          IS_VIP);

  private final int size;
  private final Map<String, List<Account>> byAddress = new HashMap<>();
  private final Map<String, List<Account>> bySamAtSuffix = new HashMap<>();
  private final Map<String, List<Account>> byDomainAndSam = new HashMap<>();
  private final Map<String, List<Account>> bySam = new HashMap<>();
  private final Map<String, List<Account>> bySamWithoutDomain = new HashMap<>();

  private AccountIndex(List<Entry> entries) {
    this.size = entries.size();
    for (Entry entry : entries) {
      Account account = entry.account;
      add(byAddress, account.userPrincipalName(), account);
      if (account.email() != null
          && !account.email().equalsIgnoreCase(account.userPrincipalName())) {
        add(byAddress, account.email(), account);
      }
      if (entry.sam != null) {
        String upn = account.userPrincipalName();
        add(bySamAtSuffix, entry.sam + upn.substring(upn.indexOf('@')), account);
        add(bySam, entry.sam, account);
        if (entry.domain != null) {
          add(byDomainAndSam, entry.domain + "\\" + entry.sam, account);
        } else {
          add(bySamWithoutDomain, entry.sam, account);
        }
      }
    }
  }

  /**
   * Reads accounts from a table; rows that cannot be used (and repeats of a UPN) are skipped and
   * described in {@code problems}.
   *
   * @throws CsvFormatException when the table has no {@code user_principal_name} column
   */
  static AccountIndex from(CsvTable table, String source, List<String> problems) {
    if (!table.hasColumn(USER_PRINCIPAL_NAME)) {
      throw new CsvFormatException(
          1,
          1,
          "the header needs a 'user_principal_name' column (it has "
              + String.join(", ", table.columns())
              + ")");
    }
    Set<String> seen = new HashSet<>();
    return new AccountIndex(
        CsvColumns.readRows(
            table,
            row -> {
              Entry entry = entry(row, source);
              if (!seen.add(lower(entry.account.userPrincipalName()))) {
                throw RowProblem.at(
                    row,
                    USER_PRINCIPAL_NAME,
                    entry.account.userPrincipalName() + " is already on an earlier line");
              }
              return entry;
            },
            problems));
  }

  private static Entry entry(CsvTable.Row row, String source) {
    String upn =
        row.get(USER_PRINCIPAL_NAME)
            .orElseThrow(() -> RowProblem.at(row, USER_PRINCIPAL_NAME, "is empty"));
    int at = upn.indexOf('@');
    if (at <= 0 || at == upn.length() - 1 || upn.indexOf('@', at + 1) >= 0) {
      throw RowProblem.at(row, USER_PRINCIPAL_NAME, "'" + upn + "' is not of the form name@domain");
    }
    Account account =
        new Account(
            upn,
            text(row, EMAIL),
            text(row, DISPLAY_NAME),
            text(row, DEPARTMENT),
            text(row, TITLE),
            text(row, MANAGER),
            CsvColumns.flag(row, IS_VIP),
            source);
    return new Entry(
        account,
        row.get(SAM_ACCOUNT_NAME).map(AccountIndex::lower).orElse(null),
        row.get(DOMAIN).map(AccountIndex::lower).orElse(null));
  }

  int size() {
    return size;
  }

  /** The accounts matching {@code key}, best first; empty for a key that matches nothing. */
  List<Account> find(String key) {
    if (key == null || key.isBlank()) {
      return List.of();
    }
    String wanted = lower(key.trim());
    Set<Account> found = new LinkedHashSet<>();
    int backslash = wanted.indexOf('\\');
    if (backslash >= 0) {
      String sam = wanted.substring(backslash + 1);
      found.addAll(byDomainAndSam.getOrDefault(wanted, List.of()));
      found.addAll(bySamWithoutDomain.getOrDefault(sam, List.of()));
    } else if (wanted.indexOf('@') >= 0) {
      found.addAll(byAddress.getOrDefault(wanted, List.of()));
      found.addAll(bySamAtSuffix.getOrDefault(wanted, List.of()));
    } else {
      found.addAll(bySam.getOrDefault(wanted, List.of()));
    }
    return List.copyOf(found);
  }

  private static String lower(String text) {
    return text.toLowerCase(Locale.ROOT);
  }

  private static void add(Map<String, List<Account>> index, String key, Account account) {
    index.computeIfAbsent(lower(key), k -> new ArrayList<>(1)).add(account);
  }

  /** An account with the columns that only matching needs. */
  private record Entry(Account account, String sam, String domain) {}
}
