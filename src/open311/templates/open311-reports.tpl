{{%AUTOESCAPE context="HTML"}}<h1>{{t_reports__title}}</h1>
<p class="lead">{{t_reports__intro}}</p>
{{#HAS_NOTICES}}<div class="notice" role="status">
{{#NOTICE}}<p>{{TEXT}}</p>
{{/NOTICE}}</div>
{{/HAS_NOTICES}}<form method="get" action="{{HREF}}" class="filter" role="search" aria-label="{{t_reports__filters}}">
<div class="field">
<label for="category">{{t_reports__category}}</label>
<select id="category" name="category">
<option value="">{{t_reports__all_categories}}</option>
{{#CATEGORY}}<option value="{{VALUE}}"{{#SELECTED}} selected{{/SELECTED}}>{{NAME}}</option>
{{/CATEGORY}}</select>
</div>
<div class="field">
<label for="status">{{t_reports__status}}</label>
<select id="status" name="status">
{{#STATUS_OPTION}}<option value="{{VALUE}}"{{#SELECTED}} selected{{/SELECTED}}>{{NAME}}</option>
{{/STATUS_OPTION}}</select>
</div>
<button type="submit" class="button button-secondary">{{t_reports__filter_submit}}</button>
</form>
{{#EMPTY}}<p role="status">{{EMPTY_TEXT}}</p>
{{#HAS_FIRST}}<p><a href="{{FIRST_HREF}}">{{t_reports__first_page}}</a></p>
{{/HAS_FIRST}}{{/EMPTY}}{{#HAS_MAP}}<div data-map-points="{{POINTS}}"></div>
{{/HAS_MAP}}{{#HAS_REPORTS}}<div class="table-scroll" tabindex="0" role="region" aria-labelledby="reports-caption">
<table>
<caption id="reports-caption">{{CAPTION}}</caption>
<thead><tr><th scope="col">{{t_reports__tracking}}</th><th scope="col">{{t_reports__category}}</th><th scope="col">{{t_reports__status}}</th><th scope="col">{{t_reports__filed}}</th><th scope="col">{{t_reports__updated}}</th><th scope="col">{{t_reports__location}}</th><th scope="col">{{t_reports__description}}</th></tr></thead>
<tbody>
{{#REPORT}}<tr><td><a href="{{REPORT_HREF}}"><bdi dir="ltr">{{TRACKING}}</bdi></a></td><td>{{SERVICE}}</td><td>{{STATUS}}</td><td>{{FILED}}</td><td>{{UPDATED}}</td>
<td>{{#HAS_ADDRESS}}<bdi>{{ADDRESS}}</bdi>{{/HAS_ADDRESS}}{{#HAS_COORDINATES}}<span dir="ltr">{{COORDINATES}}</span>{{/HAS_COORDINATES}}{{#LOCATION_MISSING}}{{NO_LOCATION}}{{/LOCATION_MISSING}}</td>
<td>{{#HAS_DESCRIPTION}}<p class="user-text" dir="auto">{{EXCERPT}}</p>{{/HAS_DESCRIPTION}}{{#NO_DESCRIPTION}}{{NO_TEXT}}{{/NO_DESCRIPTION}}</td></tr>
{{/REPORT}}</tbody>
</table>
</div>
{{/HAS_REPORTS}}{{#HAS_PAGER}}<nav aria-label="{{t_reports__pages}}">
<ul class="pager">
{{#HAS_PREVIOUS}}<li><a href="{{PREVIOUS_HREF}}" rel="prev">{{t_reports__previous}}</a></li>
{{/HAS_PREVIOUS}}{{#HAS_NEXT}}<li><a href="{{NEXT_HREF}}" rel="next">{{t_reports__next}}</a></li>
{{/HAS_NEXT}}</ul>
</nav>
{{/HAS_PAGER}}
