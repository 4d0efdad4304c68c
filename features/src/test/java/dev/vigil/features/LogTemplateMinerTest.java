package dev.vigil.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LogTemplateMinerTest {

  @Test
  void linesOfOneStatementShareATemplateWhoseVariablesAreWildcards() {
    LogTemplateMiner m = new LogTemplateMiner();
    LogTemplateMiner.Template a =
        m.add("16:42:22.382 INFO c.s.ContactsServiceImpl#31 contacts of user 17 found: 3");
    LogTemplateMiner.Template b =
        m.add("16:42:23.001 INFO c.s.ContactsServiceImpl#31 contacts of user 942 found: 0");
    assertThat(b.id()).isEqualTo(a.id());
    assertThat(b.text())
        .isEqualTo("<*> INFO c.s.ContactsServiceImpl#31 contacts of user <*> found: <*>");
    LogTemplateMiner.Template c =
        m.add("16:42:23.001 INFO c.s.ContactsServiceImpl#31 contacts of user alice found: 0");
    assertThat(c.id()).isEqualTo(a.id());
    assertThat(m.text(a.id()))
        .isEqualTo("<*> INFO c.s.ContactsServiceImpl#31 contacts of user <*> found: <*>");
  }

  @Test
  void statementsSharingOnlyTimestampsAndIdsStayApart() {
    LogTemplateMiner m = new LogTemplateMiner();
    int a =
        m.add(
                "16:42:22.382 INFO t.s.TravelServiceImpl#532 TraceID: ffc8ca7e4c8f06c75142c880d5595d96"
                    + " SpanID: 439bc949a9eeb0cc [getRoute][Route is: shanghai]")
            .id();
    int b =
        m.add(
                "16:42:22.390 ERROR f.s.FoodServiceImpl#302 TraceID: d3c3b9529c479f2778b233d0e3c10910"
                    + " SpanID: 303bc0d85fe5e88b [getAllFood][Request Failed!]")
            .id();
    assertThat(b).isNotEqualTo(a);
    assertThat(m.size()).isEqualTo(2);
    assertThat(m.text(a)).contains("TravelServiceImpl#532", "TraceID: <*>").doesNotContain("ffc8");
  }

  @Test
  void twoStatementsWithTheSameMessageStayApartByTheirSourceLocation() {
    LogTemplateMiner m = new LogTemplateMiner();
    int first =
        m.add(
                "18:05:04.928 INFO t.s.TravelServiceImpl#451 TraceID: 4cb9b44e8a1c SpanID: ff5794ba"
                    + " [getTickets][Calculate distance][calculate time: 0 start: 12:00:00]")
            .id();
    int second =
        m.add(
                "18:05:04.929 INFO t.s.TravelServiceImpl#457 TraceID: 4cb9b44e8a1c SpanID: ff5794ba"
                    + " [getTickets][Calculate distance][calculate time: 60 start: 13:00:00]")
            .id();
    int again =
        m.add(
                "18:05:05.113 INFO t.s.TravelServiceImpl#451 TraceID: 77aa9b44e8a1 SpanID: 0e5794ba"
                    + " [getTickets][Calculate distance][calculate time: 48 start: 09:48:00]")
            .id();
    int file = m.add("WARN Checkout.java:88 cart total mismatch for cart 7").id();
    int otherLine = m.add("WARN Checkout.java:93 cart total mismatch for cart 9").id();
    assertThat(second).isNotEqualTo(first);
    assertThat(again).isEqualTo(first);
    assertThat(otherLine).isNotEqualTo(file);
    assertThat(m.text(first)).contains("TravelServiceImpl#451").doesNotContain("#457");
  }

  @Test
  void linesOfOneLocationShareATemplateWhateverTheirLength() {
    LogTemplateMiner m = new LogTemplateMiner();
    int two =
        m.add(
                "18:05:20.600 INFO f.m.s.BasicServiceImpl#119 [all done][stations=[suzhou, shanghai]]")
            .id();
    int four =
        m.add(
                "18:05:21.100 INFO f.m.s.BasicServiceImpl#119 [all done][stations=[shanghai, nanjing,"
                    + " shijiazhuang, taiyuan]]")
            .id();
    int other =
        m.add(
                "18:05:21.300 INFO f.m.s.BasicServiceImpl#120 [all done][stations=[suzhou, shanghai]]")
            .id();
    assertThat(four).isEqualTo(two);
    assertThat(other).isNotEqualTo(two);
    assertThat(m.text(two)).isEqualTo("<*> INFO f.m.s.BasicServiceImpl#119 [all <*> <*>");
    // a message that only mentions a class-and-number, without a header, is not located by it
    int order = m.add("Order#123 shipped").id();
    assertThat(m.add("Order#124 shipped").id()).isEqualTo(order);
    // nor is a location deep in a message
    int deep = m.add("12:00:01 WARN retry 3 of 5 for the upload started by Checkout#7").id();
    assertThat(m.add("12:00:02 WARN retry 4 of 5 for the upload started by Checkout#9").id())
        .isEqualTo(deep);
    // lines without a location are still Drain's: split by length
    int a = m.add("cache warmed with 3 entries").id();
    int b = m.add("cache warmed with 3 entries in total").id();
    assertThat(b).isNotEqualTo(a);
  }

  @Test
  void sourceLocationsAreClassesOrFilesWithALine() {
    assertThat(LogTemplateMiner.isSourceLocation("c.s.ContactsServiceImpl#31")).isTrue();
    assertThat(LogTemplateMiner.isSourceLocation("ContactsServiceImpl#31")).isTrue();
    assertThat(LogTemplateMiner.isSourceLocation("(Checkout.java:88)")).isTrue();
    assertThat(LogTemplateMiner.isSourceLocation("views.py:12:")).isTrue();
    assertThat(LogTemplateMiner.isSourceLocation("item#42")).isFalse();
    assertThat(LogTemplateMiner.isSourceLocation("#42")).isFalse();
    assertThat(LogTemplateMiner.isSourceLocation("TrainNumber:")).isFalse();
    assertThat(LogTemplateMiner.isSourceLocation("<*>")).isFalse();
  }

  @Test
  void masksIdsAndNumbersButKeepsIdentifiersWithDigits() {
    assertThat(LogTemplateMiner.mask("550e8400-e29b-41d4-a716-446655440000")).isEqualTo("<*>");
    assertThat(LogTemplateMiner.mask("ffc8ca7e4c8f06c75142c880d5595d96")).isEqualTo("<*>");
    assertThat(LogTemplateMiner.mask("12:00:01.5")).isEqualTo("<*>");
    assertThat(LogTemplateMiner.mask("Impl#31")).isEqualTo("Impl#31");
    assertThat(LogTemplateMiner.mask("seatNo=388817927,")).isEqualTo("seatNo=<*>,");
    assertThat(LogTemplateMiner.mask("2023-01-29,TrainNumber:")).isEqualTo("<*>,TrainNumber:");
    assertThat(LogTemplateMiner.mask("(id:42)")).isEqualTo("(id:<*>)");
    assertThat(LogTemplateMiner.mask("took=12.5ms")).isEqualTo("took=12.5ms");
    assertThat(LogTemplateMiner.mask("D1345,SeatType:")).isEqualTo("D1345,SeatType:");
    assertThat(LogTemplateMiner.mask("http2")).isEqualTo("http2");
    assertThat(LogTemplateMiner.mask("found")).isEqualTo("found");
  }

  @Test
  void pastTheTemplateBoundNewLinesGoToTheOverflowTemplate() {
    LogTemplateMiner m = new LogTemplateMiner(4, 0.5, 100, 2);
    m.add("alpha beta");
    m.add("gamma delta epsilon");
    assertThat(m.add("one two three four")).isEqualTo(LogTemplateMiner.OVERFLOW);
    assertThat(m.add("alpha beta").id()).isZero();
  }

  @Test
  void rejectsBadSettingsByName() {
    assertThatThrownBy(() -> new LogTemplateMiner(2, 0.5, 10, 10)).hasMessageContaining("depth");
    assertThatThrownBy(() -> new LogTemplateMiner(4, 0, 10, 10)).hasMessageContaining("similarity");
  }

  @Test
  void infersSeverityFromTheLineWhenTheRecordHasNone() {
    assertThat(SeverityClass.of(0, "", "16:42:22.418 ERROR f.s.FoodServiceImpl#302 failed"))
        .isEqualTo(SeverityClass.ERROR);
    assertThat(SeverityClass.of(0, null, "2024-01-01 12:00:00 [WARN] disk low"))
        .isEqualTo(SeverityClass.WARN);
    assertThat(SeverityClass.of(0, null, "ts=1 level=error msg=\"boom\""))
        .isEqualTo(SeverityClass.ERROR);
    assertThat(SeverityClass.of(9, "INFO", "ERROR in the message is not the level"))
        .isEqualTo(SeverityClass.INFO);
    assertThat(SeverityClass.of(0, null, "user said the error was fine"))
        .isEqualTo(SeverityClass.UNSPECIFIED);
    assertThat(SeverityClass.ERROR.severityNumber()).isEqualTo(17);
  }
}
