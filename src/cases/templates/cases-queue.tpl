{{%AUTOESCAPE context="HTML"}}<h1>{{t_queue__title}}</h1>
<form method="get" action="{{HREF}}" class="filter">
<label for="state">{{t_case__state}}</label>
<select id="state" name="state">
{{#STATE_OPTION}}<option value="{{VALUE}}"{{#SELECTED}} selected{{/SELECTED}}>{{LABEL}}</option>
{{/STATE_OPTION}}</select>
<label for="service">{{t_case__service}}</label>
<select id="service" name="service">
{{#SERVICE_OPTION}}<option value="{{VALUE}}"{{#SELECTED}} selected{{/SELECTED}}>{{LABEL}}</option>
{{/SERVICE_OPTION}}</select>
<label for="sla">{{t_queue__sla}}</label>
<select id="sla" name="sla">
{{#SLA_OPTION}}<option value="{{VALUE}}"{{#SELECTED}} selected{{/SELECTED}}>{{LABEL}}</option>
{{/SLA_OPTION}}</select>
<label for="channel">{{t_case__channel}}</label>
<select id="channel" name="channel">
{{#CHANNEL_OPTION}}<option value="{{VALUE}}"{{#SELECTED}} selected{{/SELECTED}}>{{LABEL}}</option>
{{/CHANNEL_OPTION}}</select>
<label for="sort">{{t_queue__sort}}</label>
<select id="sort" name="sort">
{{#SORT_OPTION}}<option value="{{VALUE}}"{{#SELECTED}} selected{{/SELECTED}}>{{LABEL}}</option>
{{/SORT_OPTION}}</select>
<button type="submit" class="button button-secondary">{{t_queue__filter}}</button>
</form>
<p role="status">{{COUNT}}</p>
{{#HAS_NOTICE}}<div class="notice" role="status"><p>{{NOTICE}}</p></div>
{{/HAS_NOTICE}}{{#HAS_CASES}}{{#CAN_ASSIGN}}<form method="post" action="{{ASSIGN_HREF}}">
<input type="hidden" name="csrf" value="{{CSRF}}">
{{/CAN_ASSIGN}}<div class="table-scroll" tabindex="0" role="region" aria-labelledby="queue-caption">
<table>
<caption id="queue-caption">{{t_queue__list}}</caption>
<thead><tr>{{#CAN_ASSIGN}}<th scope="col">{{t_queue__select}}</th>{{/CAN_ASSIGN}}<th scope="col">{{t_case__tracking}}</th><th scope="col">{{t_case__service}}</th><th scope="col">{{t_case__state}}</th><th scope="col">{{t_priority__label}}</th><th scope="col">{{t_case__channel}}</th><th scope="col">{{t_case__submitted}}</th><th scope="col">{{t_case__due}}</th><th scope="col">{{t_case__assigned}}</th></tr></thead>
<tbody>
{{#CASE}}<tr>{{#SELECTABLE}}<td><input type="checkbox" id="sel-{{TRACKING}}" name="case" value="{{TRACKING}}:{{VERSION}}"><label for="sel-{{TRACKING}}" class="visually-hidden">{{t_queue__select}} {{TRACKING}}</label></td>{{/SELECTABLE}}<td dir="ltr"><a href="{{CASE_HREF}}">{{TRACKING}}</a></td><td>{{SERVICE}}</td><td>{{STATE}}</td><td>{{#RAISED}}<strong>{{/RAISED}}{{PRIORITY}}{{#RAISED}}</strong>{{/RAISED}}</td><td>{{CHANNEL}}</td><td>{{SUBMITTED}}</td><td>{{DUE}}{{#OVERDUE}} <span class="badge badge-warning">{{t_case__overdue}}</span>{{/OVERDUE}}</td><td>{{ASSIGNED}}</td></tr>
{{/CASE}}</tbody>
</table>
</div>
{{#CAN_ASSIGN}}<div class="field">
<label for="assignee">{{t_queue__assign_to}}</label>
<select id="assignee" name="assignee">
{{#ASSIGNEE}}<option value="{{VALUE}}">{{LABEL}}</option>
{{/ASSIGNEE}}</select>
</div>
<button type="submit" class="button button-secondary">{{t_queue__assign_selected}}</button>
</form>
{{/CAN_ASSIGN}}{{/HAS_CASES}}<nav aria-label="{{t_queue__pages}}">
{{#HAS_PREV}}<a href="{{PREV_HREF}}">{{t_queue__prev}}</a>{{/HAS_PREV}}
{{#HAS_NEXT}}<a href="{{NEXT_HREF}}">{{t_queue__next}}</a>{{/HAS_NEXT}}
</nav>
