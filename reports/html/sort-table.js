// Sorts the submissions table when a column heading's button is pressed (mouse or keyboard):
// numbers by their data-sort value, text in natural order; aria-sort tells assistive technology.
(function () {
  var table = document.getElementById('submissions');
  if (!table) return;
  var tbody = table.tBodies[0];
  var headers = table.tHead.rows[0].cells;
  var status = document.getElementById('sort-status');
  var collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });
  function key(row, column) {
    var cell = row.cells[column];
    return cell.getAttribute('data-sort') || cell.textContent || '';
  }
  Array.prototype.forEach.call(headers, function (th) {
    var button = th.querySelector('button');
    if (!button) return;
    button.addEventListener('click', function () {
      var column = th.cellIndex;
      var ascending = th.getAttribute('aria-sort') !== 'ascending';
      var numeric = th.getAttribute('data-type') === 'number';
      var rows = Array.prototype.slice.call(tbody.rows);
      rows.sort(function (a, b) {
        var x = key(a, column);
        var y = key(b, column);
        var order = numeric ? parseFloat(x) - parseFloat(y) : collator.compare(x, y);
        if (order === 0) order = collator.compare(key(a, 0), key(b, 0));
        return ascending ? order : -order;
      });
      rows.forEach(function (row) { tbody.appendChild(row); });
      Array.prototype.forEach.call(headers, function (other) {
        if (other !== th) other.removeAttribute('aria-sort');
      });
      th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
      if (status) status.textContent = 'Sorted by ' + button.textContent + ', ' + (ascending ? 'ascending' : 'descending') + '.';
    });
  });
})();
